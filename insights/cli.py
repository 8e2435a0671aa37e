"""The `insights` console script: Flask's CLI (run, db, shell) plus the app's own commands."""

import click
from flask.cli import FlaskGroup

from insights import create_app


@click.group(cls=FlaskGroup, create_app=create_app, load_dotenv=False)
def main() -> None:
    """Workshop insight and user-needs tracker: manage the database, accounts, demo and data."""

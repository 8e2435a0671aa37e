"""The `insights` console script: Flask's CLI (run, db, shell) plus the app's own commands.

`insights --help` lists the commands from COMMAND_HELP without building the app, so it starts
in a fraction of a second; the app, and whatever heavy library a command needs, load only when
a command runs. tests/test_cli_startup.py keeps COMMAND_HELP in step with the real commands.
"""

import click
from flask.cli import FlaskGroup

from insights import create_app

# Every command of `insights`, with the line `--help` shows for it.
COMMAND_HELP = {
    "backup": "Write the whole database as versioned JSON.",
    "compare": "Compare workshops: the network-wide needs register.",
    "datasets": "The dataset catalogue and the links from needs to datasets.",
    "db": "Perform database migrations.",
    "demo": "The demo workshop.",
    "jobs": "Background jobs: list them, run a failed one again.",
    "graph": "The graph of needs, themes, datasets, organisations, boroughs and next steps.",
    "nextsteps": "Rank, export and weigh a workshop's next steps.",
    "nlp": "Theme tagging: re-tag, evaluate, train, emerging themes.",
    "restore": "Load a backup into an empty, upgraded database.",
    "pool": "Pooled data of a data standard.",
    "roundup": "Round-ups of workshops.",
    "routes": "Show the routes for the app.",
    "run": "Run a development server.",
    "serve": "Serve the app with gunicorn (gthread workers), for a shared deployment.",
    "shell": "Run a shell in the app context.",
    "standards": "Data standards (minimum data sets) as Table Schema files.",
    "statements": "Import and export a workshop's statements (post-its).",
    "submissions": "Check and import data submitted against a data standard.",
    "users": "Create and list accounts.",
    "worker": "Run background jobs until stopped; start one or more on any machine.",
    "venue": "Serve the app on the room's network (plain http) for phones and the projector.",
    "workshops": "Create and list workshops.",
}


class InsightsGroup(FlaskGroup):
    """Flask's command group, whose help lists the commands without loading the app."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, from COMMAND_HELP."""
        with formatter.section("Commands"):
            formatter.write_dl(sorted(COMMAND_HELP.items()))


@click.group(cls=InsightsGroup, create_app=create_app, load_dotenv=False)
def main() -> None:
    """Workshop insight and user-needs tracker: manage the database, accounts, demo and data."""

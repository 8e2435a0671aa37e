"""`insights backup` and `insights restore`."""

import os
from typing import IO

import click
from flask.cli import with_appcontext

from insights.backup.services import BackupError, read_backup, restore_backup, write_backup
from insights.extensions import db


def private_file(path: str) -> IO[str]:
    """Open a file for writing that only its owner may read: a backup holds password hashes."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
    return os.fdopen(descriptor, "w", encoding="utf-8")


@click.command("backup")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the JSON backup.",
)
@with_appcontext
def backup_command(out_path: str) -> None:
    """Write the whole database as versioned JSON."""
    with db.engine.connect() as connection, private_file(out_path) as out:
        counts = write_backup(connection, out)
    click.echo(f"Backed up {sum(counts.values()):,} rows from {len(counts)} tables to {out_path}.")


@click.command("restore")
@click.argument("backup_path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(backup_path: str) -> None:
    """Load a backup into an empty, upgraded database (nothing is written on any error)."""
    try:
        with open(backup_path, encoding="utf-8") as source:
            payload = read_backup(source)
        with db.engine.begin() as connection:
            counts = restore_backup(connection, payload)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {sum(counts.values()):,} rows into {len(counts)} tables.")

"""Write every table to versioned JSON, and load such a file into an empty database."""

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO, Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from insights.audit.services import record
from insights.extensions import db
from insights.timeutil import utcnow

FORMAT = "workshop-insights-backup"
FORMAT_VERSION = 1
# Seeded by migrations into every new database; a restore replaces them with the backup's rows.
REFERENCE_TABLES = ("boroughs", "themes")


class BackupError(ValueError):
    """A backup file that cannot be restored here, with the reason."""


def tables() -> list[sa.Table]:
    """Every table of the app, parents before children."""
    return list(db.metadata.sorted_tables)


def encode(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    return value


def decode(value: Any, column: sa.Column[Any]) -> Any:
    """The column value back from its JSON form."""
    if isinstance(value, dict) and len(value) == 1 and not isinstance(column.type, sa.JSON):
        ((kind, text),) = value.items()
        if kind == "$datetime":
            return dt.datetime.fromisoformat(text)
        if kind == "$date":
            return dt.date.fromisoformat(text)
        if kind == "$bytes":
            return base64.b64decode(text)
    return value


def current_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at."""
    return MigrationContext.configure(connection).get_current_revision()


def table_rows(connection: Connection, table: sa.Table) -> Iterator[list[Any]]:
    """A table's rows in primary-key order, encoded for JSON."""
    order = list(table.primary_key.columns) or list(table.columns)
    for row in connection.execute(sa.select(table).order_by(*order)):
        yield [encode(value) for value in row]


def write_backup(connection: Connection, out: IO[str]) -> dict[str, int]:
    """Write the whole database to `out` as JSON; returns the row count of each table."""
    counts: dict[str, int] = {}
    payload: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": current_revision(connection),
        "created_at": utcnow().isoformat(),
        "tables": {},
    }
    for table in tables():
        rows = list(table_rows(connection, table))
        payload["tables"][table.name] = {"columns": [c.name for c in table.columns], "rows": rows}
        counts[table.name] = len(rows)
    json.dump(payload, out, ensure_ascii=False)
    return counts


def read_backup(source: IO[str]) -> dict[str, Any]:
    """Read and check a backup file's envelope."""
    try:
        payload = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(f"This is not a backup file: {error}.") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise BackupError("This is not a workshop-insights backup file.")
    if payload.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Backup format {payload.get('format_version')} is not supported.")
    return payload


def user_rows(connection: Connection) -> int:
    """How many rows the database holds beyond the seeded reference data."""
    return sum(
        connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in tables()
        if table.name not in REFERENCE_TABLES
    )


def restore_backup(connection: Connection, payload: dict[str, Any]) -> dict[str, int]:
    """Load a backup into an empty database at the same schema revision, all or nothing."""
    if payload.get("schema_revision") != current_revision(connection):
        raise BackupError(
            f"The backup was made at schema {payload.get('schema_revision')!r} but this database "
            f"is at {current_revision(connection)!r}: run `insights db upgrade` on a database "
            "of the same version first."
        )
    if user_rows(connection):
        raise BackupError("The database is not empty: restore only into a new database.")
    known = {table.name: table for table in tables()}
    unknown = set(payload["tables"]) - set(known)
    if unknown:
        raise BackupError(f"The backup has tables this version does not know: {sorted(unknown)}.")
    for name in reversed(REFERENCE_TABLES):
        connection.execute(known[name].delete())
    counts = {}
    for table in tables():
        counts[table.name] = insert_rows(connection, table, payload["tables"].get(table.name))
    reset_sequences(connection)
    record_restore(connection, payload, counts)
    return counts


def record_restore(connection: Connection, payload: dict[str, Any], counts: dict[str, int]) -> None:
    """Audit the restore itself, in the same transaction as the rows it brought back."""
    with Session(bind=connection) as session:
        record(
            session,
            "backup.restore",
            "backup",
            str(payload.get("created_at", ""))[:40],
            rows=sum(counts.values()),
            schema_revision=payload.get("schema_revision"),
        )
        session.flush()


def insert_rows(connection: Connection, table: sa.Table, data: dict[str, Any] | None) -> int:
    """Insert one table's rows from the backup."""
    if not data or not data["rows"]:
        return 0
    columns = [table.columns[name] for name in data["columns"]]
    rows = [
        {c.name: decode(v, c) for c, v in zip(columns, row, strict=True)} for row in data["rows"]
    ]
    for start in range(0, len(rows), 1000):
        connection.execute(table.insert(), rows[start : start + 1000])
    return len(rows)


def reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        column = table.columns.get("id")
        if column is None or not column.primary_key or not column.autoincrement:
            continue
        highest = connection.scalar(sa.select(sa.func.max(column))) or 0
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :next, false)"),
            {"table": table.name, "next": highest + 1},
        )

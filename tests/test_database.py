"""Migrations build the schema from nothing, change nothing when re-run, and match the models."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from insights.extensions import db
from insights.reference import london_boroughs, starter_themes

INSIGHTS = str(Path(sys.executable).parent / "insights")


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind under test."""
    base = os.environ.get("INSIGHTS_TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path / "fresh.sqlite3")
        return
    name = f"insights_fresh_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def run_insights(*args: str, url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `insights` console script against a database."""
    env = {**os.environ, "INSIGHTS_DATABASE_URL": url, "INSIGHTS_INSTANCE_PATH": str(tmp_path)}
    return subprocess.run(
        [INSIGHTS, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def table_rows(url: str) -> dict[str, int]:
    """The row count of every table."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        counts = {n: connection.scalar(sa.text(f'SELECT COUNT(*) FROM "{n}"')) for n in names}
    engine.dispose()
    return counts  # type: ignore[return-value]


def test_db_upgrade_creates_the_schema_and_a_second_run_changes_nothing(
    empty_database_url: str, tmp_path: Path
) -> None:
    first = run_insights("db", "upgrade", url=empty_database_url, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    after_first = table_rows(empty_database_url)
    assert after_first["boroughs"] == len(london_boroughs()) == 33
    assert after_first["themes"] == len(starter_themes()) == 13
    assert "statements" in after_first and "need_dataset_links" in after_first

    second = run_insights("db", "upgrade", url=empty_database_url, tmp_path=tmp_path)
    assert second.returncode == 0, second.stderr
    assert table_rows(empty_database_url) == after_first


def test_migrations_match_the_models(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app: Flask) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only apply to SQLite")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_insights_help_lists_the_commands(tmp_path: Path) -> None:
    result = subprocess.run(
        [INSIGHTS, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "INSIGHTS_INSTANCE_PATH": str(tmp_path)},
    )
    for command in ("run", "db", "users", "demo", "workshops"):
        assert f"  {command} " in result.stdout

"""Migrations build the schema from nothing, change nothing when re-run, and match the models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from insights.extensions import db
from insights.reference import london_boroughs, starter_themes

INSIGHTS = str(Path(sys.executable).parent / "insights")


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
        pytest.skip(reason="SQLite pragmas only apply to SQLite")
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


FIRST_DATA = {
    "users": {
        "id": 1,
        "email": "f@example.org",
        "name": "F",
        "password_hash": "x",
        "role": "facilitator",
        "active": True,
        "failed_logins": 0,
    },
    "workshops": {
        "id": 1,
        "slug": "w",
        "title": "Workshop",
        "host_network": "",
        "place": "",
        "online": False,
        "description": "",
        "status": "live",
        "participant_link_enabled": False,
        "version": 1,
    },
    "exercises": {
        "id": 1,
        "workshop_id": 1,
        "position": 0,
        "key": "uses",
        "title": "Uses",
        "prompt": "What for?",
        "kind": "need",
    },
    "statements": {
        "id": 1,
        "workshop_id": 1,
        "exercise_id": 1,
        "kind": "need",
        "original_text": "We need ward data",
        "text": "Ward data, please",
        "author_name": "",
        "anonymous": True,
        "source": "capture",
        "mentions": "[]",
        "version": 2,
    },
    "need_details": {
        "statement_id": 1,
        "role": "CVS director",
        "goal": "ward data",
        "benefit": "",
        "met_when": "",
        "status": "valid",
        "status_reason": "",
        "drafted_by": "person",
        "version": 1,
    },
}


def test_upgrading_a_database_made_at_the_first_migrations_keeps_its_data(
    empty_database_url: str,
) -> None:
    from flask_migrate import upgrade

    from insights import create_app
    from tests.conftest import config_for

    app = create_app(config_for(empty_database_url))
    with app.app_context():
        upgrade(revision="0002")
        now = "2021-09-16 10:00:00"
        with db.engine.begin() as connection:
            for table, row in FIRST_DATA.items():
                stamps = {
                    c: now
                    for c in ("created_at", "updated_at")
                    if c in {col["name"] for col in sa.inspect(connection).get_columns(table)}
                }
                columns = {**row, **stamps}
                names = ", ".join(columns)
                marks = ", ".join(f":{name}" for name in columns)
                connection.execute(
                    sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), columns
                )
        upgrade()
        with db.engine.connect() as connection:
            for table, row in FIRST_DATA.items():
                found = connection.execute(sa.text(f"SELECT * FROM {table}")).mappings().one()
                for name, value in row.items():
                    if name != "mentions":
                        assert found[name] == value, (table, name)
        db.engine.dispose()

"""`insights backup` and `insights restore`: a round trip loses nothing, bad files nothing."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import upgrade

from insights import create_app
from insights.backup.services import table_rows, tables
from insights.demo.services import load_demo
from insights.extensions import db
from insights.models import Statement, User
from insights.statements.services import delete_statement, edit_statement
from insights.themes.services import tag_statements
from tests.conftest import config_for


def snapshot(engine: sa.Engine) -> dict[str, list[list[object]]]:
    """Every row of every table, in key order."""
    with engine.connect() as connection:
        return {table.name: list(table_rows(connection, table)) for table in tables()}


@pytest.fixture
def filled(app: Flask) -> None:
    """The demo, tagged, with an edit and a soft delete, so history tables have rows too."""
    load_demo(db.session)
    db.session.flush()
    statements = list(db.session.scalars(sa.select(Statement)))
    tag_statements(db.session, statements)
    editor = db.session.scalar(sa.select(User).where(User.role == "facilitator"))
    assert editor is not None
    edit_statement(db.session, statements[0], "Edited wording", statements[0].version, editor)
    delete_statement(db.session, statements[1], editor)
    db.session.commit()


def test_backup_then_restore_into_an_empty_database_loses_nothing(
    filled: None, runner: FlaskCliRunner, tmp_path: Path, empty_database_url: str
) -> None:
    backup = tmp_path / "backup.json"
    result = runner.invoke(args=["backup", "--out", str(backup)])
    assert result.exit_code == 0, result.output
    original = snapshot(db.engine)
    assert original["statements"] and original["statement_themes"] and original["audit_log"]

    fresh = create_app(config_for(empty_database_url))
    with fresh.app_context():
        upgrade()
        restored = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
        assert restored.exit_code == 0, restored.output
        copy = snapshot(db.engine)
        # The restore records itself in the audit log, after every entry it brought back.
        restore_entry = copy["audit_log"].pop()
        assert restore_entry[4] == "backup.restore"
        assert copy == original
        again = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
        assert again.exit_code == 1 and "not empty" in again.output
        db.engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text(json.dumps({"hello": "world"}))
    result = runner.invoke(args=["restore", str(bogus)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: This is not a workshop-insights backup file."
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert "not a backup file" in runner.invoke(args=["restore", str(broken)]).output


def test_restore_refuses_a_backup_of_another_schema_version(
    filled: None, runner: FlaskCliRunner, tmp_path: Path, empty_database_url: str
) -> None:
    backup = tmp_path / "backup.json"
    runner.invoke(args=["backup", "--out", str(backup)])
    payload = json.loads(backup.read_text())
    payload["schema_revision"] = "0001"
    backup.write_text(json.dumps(payload))
    fresh = create_app(config_for(empty_database_url))
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
        assert result.exit_code == 1 and "insights db upgrade" in result.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0
        db.engine.dispose()

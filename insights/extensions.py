"""Flask extensions, created unbound and initialised by the application factory."""

from pathlib import Path
from typing import Any, TypeAlias

import sqlalchemy as sa
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

# Names for every constraint, so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model of the app."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")

db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are kept in memory by default; set INSIGHTS_RATELIMIT_STORAGE_URI (redis://…) to share
# them between gunicorn workers.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Services take either a plain Session or Flask-SQLAlchemy's scoped `db.session`.
DbSession: TypeAlias = Session | scoped_session[Any]

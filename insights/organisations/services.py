"""Organisations: found by name or added, shared by capture, imports and next steps."""

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.organisations.models import Organisation


def find_or_add_organisation(
    session: DbSession, name: str, borough_code: str | None
) -> Organisation | None:
    """The organisation with this name (any case), created when new."""
    name = " ".join(name.split())[:200].strip()
    if not name:
        return None
    # The database lowers both sides, so its own idea of case decides (SQLite: ASCII only).
    same_name = sa.func.lower(Organisation.name) == sa.func.lower(sa.literal(name))
    found = session.scalars(sa.select(Organisation).where(same_name).limit(1)).first()
    if found is None:
        found = Organisation(name=name, borough_code=borough_code)
        session.add(found)
    return found

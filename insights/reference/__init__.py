"""Reference data shipped with the app: the London boroughs and the starter theme taxonomy."""

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from insights.timeutil import utcnow

REFERENCE_DIR = Path(__file__).parent


@cache
def london_boroughs() -> tuple[tuple[str, str], ...]:
    """The 33 London local authorities as (ONS code, name)."""
    with open(REFERENCE_DIR / "london_boroughs.csv", newline="", encoding="utf-8") as handle:
        return tuple((row["code_ons"], row["name"]) for row in csv.DictReader(handle))


@cache
def starter_themes() -> tuple[dict[str, Any], ...]:
    """The thirteen starter themes of the taxonomy, in their display order."""
    data = json.loads((REFERENCE_DIR / "starter_themes.json").read_text(encoding="utf-8"))
    return tuple(data["themes"])


def read_json(name: str) -> Any:
    """Read one of the JSON files shipped in this folder."""
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


# Only the columns seeded here are named, so later migrations can add columns freely.
_boroughs = sa.table("boroughs", sa.column("code"), sa.column("name"))
_themes = sa.table(
    "themes",
    sa.column("slug"),
    sa.column("name"),
    sa.column("description"),
    sa.column("position"),
    sa.column("patterns", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def seed_reference_data(connection: Connection) -> None:
    """Insert the boroughs and starter themes that are missing; existing rows are left alone."""
    have = set(connection.scalars(sa.select(_boroughs.c.code)))
    missing = [{"code": c, "name": n} for c, n in london_boroughs() if c not in have]
    if missing:
        connection.execute(_boroughs.insert(), missing)
    have = set(connection.scalars(sa.select(_themes.c.slug)))
    now = utcnow()
    rows = [
        {
            **{k: theme[k] for k in ("slug", "name", "description")},
            "position": i,
            "patterns": [],
            "created_at": now,
            "updated_at": now,
        }
        for i, theme in enumerate(starter_themes())
        if theme["slug"] not in have
    ]
    if rows:
        connection.execute(_themes.insert(), rows)

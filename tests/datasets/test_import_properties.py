"""Random and hostile CSV and JSON thrown at the catalogue importer: a clear refusal or a whole
import, never a crash and never a partial write."""

import json

import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.datasets.importers import CatalogueImportError
from insights.datasets.models import Dataset
from insights.datasets.services import import_catalogue_file
from insights.extensions import db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(max_size=80)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "name",
                    "notes",
                    "url",
                    "tags",
                    "dataset",
                    "result",
                    "results",
                    "keyword",
                    "publisher",
                    "organization",
                    "landingPage",
                    "description",
                ]
            )
            | TEXT,
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def dataset_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) or 0


def import_or_refuse(content: bytes, filename: str) -> None:
    """Import in a transaction of its own: refused files must leave no row behind."""
    before = dataset_count()
    try:
        _, summary = import_catalogue_file(db.session, content, filename)
    except CatalogueImportError as error:
        db.session.rollback()
        assert str(error)
        assert dataset_count() == before
    else:
        db.session.commit()
        assert dataset_count() == before + summary.created


@FUZZ
@given(content=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.json", "x", "x.txt"]))
def test_random_bytes_are_refused_clearly_or_imported_whole(
    app: Flask, content: bytes, name: str
) -> None:
    import_or_refuse(content, name)


@FUZZ
@given(
    rows=st.lists(st.lists(TEXT, min_size=1, max_size=4), max_size=6),
    header=st.lists(
        st.sampled_from(["title", "publisher", "url", "tags", "description", "licence", "x"]),
        min_size=1,
        max_size=5,
    ),
)
def test_hostile_csv_is_refused_clearly_or_imported_whole(
    app: Flask, rows: list[list[str]], header: list[str]
) -> None:
    lines = [",".join(header)] + [",".join(json.dumps(cell) for cell in row) for row in rows]
    import_or_refuse("\n".join(lines).encode("utf-8", "surrogatepass"), "catalogue.csv")


@FUZZ
@given(payload=JSON_VALUES)
def test_hostile_json_is_refused_clearly_or_imported_whole(app: Flask, payload: object) -> None:
    import_or_refuse(json.dumps(payload).encode(), "catalogue.json")

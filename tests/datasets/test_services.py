"""The catalogue: the starter load, imports that update rather than repeat, and edits."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from insights.datasets.models import Dataset
from insights.datasets.services import (
    DatasetConflict,
    create_dataset,
    import_catalogue_file,
    load_starter_catalogue,
    search_datasets,
    update_dataset,
)
from insights.extensions import db
from insights.reference import read_json

FILES = Path(__file__).resolve().parents[1] / "data" / "datasets"


def dataset_count() -> int:
    """How many datasets the catalogue holds."""
    return db.session.scalar(sa.select(sa.func.count(Dataset.id))) or 0


def test_starter_catalogue_loads_every_dataset_with_its_themes(app: Flask) -> None:
    summary = load_starter_catalogue(db.session)
    db.session.commit()
    expected = len(read_json("starter_datasets.json")["datasets"])
    assert summary.created == expected == dataset_count()
    grantnav = db.session.scalar(sa.select(Dataset).where(Dataset.title == "GrantNav"))
    assert grantnav is not None
    assert {t.slug for t in grantnav.themes} == {"funding-finance", "access-availability"}
    assert grantnav.granularity == "grant"


def test_loading_the_starter_catalogue_twice_updates_rather_than_repeats(app: Flask) -> None:
    load_starter_catalogue(db.session)
    db.session.commit()
    again = load_starter_catalogue(db.session)
    db.session.commit()
    assert again.created == 0
    assert (again.updated, again.unchanged) == (0, dataset_count())  # found, nothing to change


def test_import_updates_a_dataset_with_the_same_landing_page(app: Flask) -> None:
    load_starter_catalogue(db.session)
    before = dataset_count()
    kind, summary = import_catalogue_file(
        db.session, (FILES / "catalogue.csv").read_bytes(), "catalogue.csv"
    )
    db.session.commit()
    assert (kind, summary.created, summary.updated) == ("csv", 2, 1)
    assert dataset_count() == before + 2
    register = db.session.scalar(
        sa.select(Dataset).where(Dataset.title == "Register of charities: full register download")
    )
    assert register is not None
    assert register.description == "Updated description from a CSV import."


def test_import_updates_a_dataset_with_the_same_title_and_publisher(app: Flask) -> None:
    create_dataset(
        db.session,
        {"title": "Mutual aid groups in London", "publisher": "greater london authority"},
        [],
    )
    _, summary = import_catalogue_file(
        db.session, (FILES / "ckan_package_search.json").read_bytes(), "search.json"
    )
    assert (summary.created, summary.updated) == (2, 1)


def test_an_invalid_file_writes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["datasets", "import", str(FILES / "missing_title.csv")])
    assert result.exit_code != 0
    assert "Rows without a title" in result.output
    assert dataset_count() == 0


def test_cli_imports_a_data_json_catalogue(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["datasets", "import", str(FILES / "data.json")])
    assert result.exit_code == 0, result.output
    assert "data.json (DCAT-US data.json):\n  2 datasets added\n" in result.output
    assert dataset_count() == 2


def test_cli_preview_says_what_the_import_would_do_in_the_report_words(
    app: Flask, runner: FlaskCliRunner
) -> None:
    path = str(FILES / "data.json")
    result = runner.invoke(args=["datasets", "import", path, "--preview"])
    assert result.exit_code == 0, result.output
    assert "data.json (DCAT-US data.json):\n  2 datasets would be added\n" in result.output
    assert dataset_count() == 0
    runner.invoke(args=["datasets", "import", path])
    again = runner.invoke(args=["datasets", "import", path, "--preview"])
    assert "  0 datasets would be added\n" in again.output
    assert "  2 already up to date, left unchanged\n" in again.output


def test_cli_load_starter_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["datasets", "load-starter"])
    second = runner.invoke(args=["datasets", "load-starter"])
    assert "0 datasets added" in second.output, (first.output, second.output)


def test_an_edit_made_on_a_stale_version_is_refused(app: Flask) -> None:
    dataset = create_dataset(db.session, {"title": "Directory"}, [])
    db.session.commit()
    opened = dataset.version
    update_dataset(db.session, dataset, {"title": "Directory v2"}, [], seen_version=opened)
    db.session.commit()
    with pytest.raises(DatasetConflict):
        update_dataset(db.session, dataset, {"title": "Directory v3"}, [], seen_version=opened)
    assert dataset.title == "Directory v2"


def test_search_finds_words_in_keywords_and_filters_by_theme(app: Flask) -> None:
    load_starter_catalogue(db.session)
    titles = db.session.scalars(search_datasets("IDACI").with_only_columns(Dataset.title)).all()
    assert titles == ["Indices of Deprivation"]
    volunteering = db.session.scalars(
        search_datasets("", theme="volunteering", granularity="borough")
    ).all()
    assert {d.title for d in volunteering} >= {"Volunteering by borough (Taking Part survey)"}

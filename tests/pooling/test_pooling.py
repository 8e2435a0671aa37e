"""Pooling: by borough and year, suppression, comparison, removed fields, open data."""

import sqlalchemy as sa
from flask import Flask

from insights.datasets.models import NeedDatasetLink
from insights.extensions import db
from insights.pooling.maps import london_map
from insights.pooling.opendata import Addresses, publish_release, served_needs, validate_release
from insights.pooling.services import compare, pool, published_rows, who_submitted
from insights.standards.services import draft_of, publish, remove_field
from insights.submissions.services import Slot, process, start
from tests.factories import make_user
from tests.standards.builders import filled_csv, published_standard

BOROUGHS = {"E09000012": "Hackney", "E09000023": "Lewisham", "E09000007": "Camden"}


def submit(version, code: str, count: int, year: int = 2024, seed: int = 1) -> None:  # type: ignore[no-untyped-def]
    """An accepted submission of `count` organisations for a borough."""
    data = filled_csv(version, BOROUGHS[code], count, seed=seed)
    submission = start(
        db.session, Slot(version, code, year), f"{BOROUGHS[code]} CVS", None, (data, "s.csv")
    )
    assert process(db.session, submission).state == "accepted"


def addresses(release) -> Addresses:  # type: ignore[no-untyped-def]
    """Made-up addresses for a release."""
    base = f"http://127.0.0.1/open/{release.id}"
    return Addresses(page=base, csv=f"{base}.csv", xlsx=f"{base}.xlsx", schema=f"{base}.json")


def test_suppression_leaves_no_published_count_below_the_threshold(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    for seed, (code, count) in enumerate({"E09000012": 40, "E09000023": 7, "E09000007": 3}.items()):
        submit(version, code, count, seed=seed)
    rows = published_rows(pool(db.session, standard), threshold=5)
    counts = [r for r in rows if r["measure"] in ("organisations responding", "responses", "count")]
    assert counts and all(r["value"] is None or r["value"] >= 5 for r in counts)
    assert any(r["shown_as"] == "fewer than 5" for r in counts)
    camden = [r for r in rows if r["borough_code"] == "E09000007"]
    assert all(r["value"] is None for r in camden)  # three organisations: nothing shown
    for r in rows:
        assert set(r) == {
            "year",
            "borough_code",
            "borough",
            "standard_version",
            "field",
            "measure",
            "category",
            "value",
            "shown_as",
        }


def test_a_single_hidden_count_takes_the_next_smallest_with_it(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    submit(version, "E09000012", 60)
    rows = published_rows(pool(db.session, standard), threshold=5)
    for name in {r["field"] for r in rows if r["measure"] == "count"}:
        counts = [r for r in rows if r["field"] == name and r["measure"] == "count"]
        hidden = [r for r in counts if r["value"] is None]
        assert len(hidden) != 1, name


def test_a_field_removed_in_a_later_version_stays_in_earlier_pooled_years(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    _, standard, first = published_standard(db.session, lead)
    submit(first, "E09000012", 20, year=2023)
    second = draft_of(db.session, standard, lead)
    remove_field(db.session, second, next(f for f in second.fields if f.name == "volunteers"), lead)
    publish(db.session, second, second.version, lead)
    submit(second, "E09000012", 20, year=2024, seed=5)
    pooled = pool(db.session, standard)
    assert pooled.fields["volunteers"].versions == [1]
    rows = published_rows(pooled)
    years = {r["year"] for r in rows if r["field"] == "volunteers"}
    assert years == {2023}
    assert compare(pooled, "volunteers", 2023).values()["E09000012"] is not None


def test_the_comparison_shows_every_borough_with_the_change_since_last_year(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    submit(version, "E09000012", 30, year=2023)
    submit(version, "E09000012", 30, year=2024, seed=9)
    submit(version, "E09000023", 30, year=2024, seed=4)
    pooled = pool(db.session, standard)
    comparison = compare(pooled, "paid_staff", 2024)
    assert len(comparison.rows) == 33
    hackney = next(r for r in comparison.rows if r["borough_code"] == "E09000012")
    lewisham = next(r for r in comparison.rows if r["borough_code"] == "E09000023")
    assert hackney["value"] is not None and hackney["change"] is not None
    assert lewisham["change"] is None  # no 2023 figure
    listing = who_submitted(pooled, 2024)
    assert sum(1 for r in listing if r["organisation"]) == 2
    svg = london_map(
        comparison.values(),
        {r["borough_code"]: r["shown_as"] for r in comparison.rows},
        "Paid staff",
    )
    assert svg.startswith("<svg") and svg.count("<rect") >= 33 and "Hackney:" in svg


def test_open_data_enters_the_catalogue_validates_and_closes_the_gaps_it_serves(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    _, standard, version = published_standard(db.session, lead)
    submit(version, "E09000012", 25)
    submit(version, "E09000023", 9, seed=2)
    release = publish_release(db.session, standard, lead, addresses)
    assert validate_release(release) == []
    counts = [
        r
        for r in release.rows
        if r["measure"] in ("organisations responding", "responses", "count")
    ]
    assert all(r["value"] is None or r["value"] >= release.threshold for r in counts)
    links = db.session.scalars(
        sa.select(NeedDatasetLink).where(NeedDatasetLink.dataset_id == release.dataset_id)
    ).all()
    assert {link.statement_id for link in links} == set(served_needs(standard))
    assert all(link.status == "confirmed" for link in links)
    again = publish_release(db.session, standard, lead, addresses)
    assert again.number == 2 and again.dataset_id == release.dataset_id

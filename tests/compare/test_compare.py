"""Comparing workshops: theme shares side by side, shared and single needs and gaps, change
over time, by workshop, borough and organisation type."""

from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.compare.services import change, compare, raised_by
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop
from tests.factories import log_in, make_statement, make_workshop


def tag(statement: Statement, *slugs: str, decision: str = "suggested") -> None:
    """Put themes on a post-it as the tagger would."""
    for slug in slugs:
        theme_id = db.session.scalar(sa.select(Theme.id).where(Theme.slug == slug))
        db.session.add(
            StatementTheme(statement_id=statement.id, theme_id=theme_id, decision=decision)
        )


def said(
    workshop: Workshop, text: str, kind: str, org: Organisation | None, *slugs: str
) -> Statement:
    """A themed post-it from an organisation."""
    statement = make_statement(db.session, workshop, text, kind)
    statement.organisation_id = org.id if org else None
    tag(statement, *slugs)
    return statement


@pytest.fixture
def two_years(app: object, users: dict[str, User]) -> tuple[Workshop, Workshop]:
    """The CVS directors in 2020 and in 2021, the lead and member invited to both."""
    hackney = Organisation(name="Hackney CVS", type="cvs", borough_code="E09000012")
    council = Organisation(name="Camden Council", type="local-authority", borough_code="E09000007")
    db.session.add_all([hackney, council])
    members = (users["facilitator"], users["lead"], users["member"])
    old = make_workshop(db.session, "Directors", *members, date=date(2020, 9, 1), slug="d-2020")
    new = make_workshop(db.session, "Directors", *members, date=date(2021, 9, 1), slug="d-2021")
    db.session.flush()
    said(old, "Volunteering by borough", "need", hackney, "volunteering", "geography-comparison")
    said(old, "Grants made locally", "need", council, "funding-finance")
    said(old, "No time for data", "challenge", hackney, "skills-capacity")
    served = said(new, "Volunteer numbers per ward", "need", hackney, "volunteering")
    said(new, "Covid recovery data", "need", council, "crisis-response")
    rejected = said(new, "Our directory", "collected", council)
    tag(rejected, "funding-finance", decision="rejected")
    dataset = Dataset(title="Volunteering survey", keywords=[], extra={})
    db.session.add(dataset)
    db.session.flush()
    db.session.add(
        NeedDatasetLink(statement_id=served.id, dataset_id=dataset.id, status="confirmed")
    )
    db.session.commit()
    return old, new


def test_theme_shares_side_by_side_by_workshop(two_years: tuple[Workshop, Workshop]) -> None:
    old, new = two_years
    result = compare(db.session, [new, old])
    assert result.groups == ["Directors (2020)", "Directors (2021)"]
    first, second = result.groups
    assert result.themed == {first: 3, second: 2}  # the rejected tag does not count
    assert result.shares[first]["volunteering"] == pytest.approx(1 / 3)
    assert result.shares[second]["volunteering"] == pytest.approx(1 / 2)
    assert "funding-finance" not in result.shares[second]


def test_needs_and_gaps_shared_and_raised_by_one(two_years: tuple[Workshop, Workshop]) -> None:
    result = compare(db.session, list(two_years))
    first, second = result.groups
    assert raised_by(result, "volunteering") == [first, second]
    assert raised_by(result, "crisis-response") == [second]
    assert result.needs["volunteering"] == {first: 1, second: 1}
    assert result.gaps["volunteering"] == {first: 1}  # 2021's need is served by a dataset
    assert result.only_texts["crisis-response"] == ["Covid recovery data"]
    assert "volunteering" not in result.only_texts


def test_change_over_time_in_percentage_points(two_years: tuple[Workshop, Workshop]) -> None:
    result = compare(db.session, list(two_years))
    assert change(result, "volunteering") == pytest.approx(16.7)
    assert change(result, "skills-capacity") == pytest.approx(-33.3)


def test_the_same_by_borough_and_by_organisation_type(two_years: tuple[Workshop, Workshop]) -> None:
    by_borough = compare(db.session, list(two_years), "borough")
    assert by_borough.groups == ["Camden", "Hackney"]
    assert raised_by(by_borough, "volunteering") == ["Hackney"]
    by_type = compare(db.session, list(two_years), "org-type")
    assert by_type.groups == ["cvs", "local authority"]
    assert by_type.shares["cvs"]["volunteering"] == pytest.approx(2 / 3)


def test_the_comparison_page_draws_an_accessible_heatmap(
    client: FlaskClient, users: dict[str, User], two_years: tuple[Workshop, Workshop]
) -> None:
    log_in(client, users["member"].email)
    page = client.get("/compare/?w=d-2020&w=d-2021").get_data(as_text=True)
    assert '<svg class="chart heatmap"' in page and 'role="img"' in page
    assert "<title>Theme shares by workshop</title>" in page and "<desc>" in page
    assert "The same figures as a table" in page
    assert "Shared</strong> by 2" in page and "Change over time" in page
    assert "Covid recovery data" in page
    borough = client.get("/compare/?w=d-2020&w=d-2021&by=borough").get_data(as_text=True)
    assert "Theme shares by borough" in borough and "Hackney" in borough


def test_only_workshops_the_person_may_open_can_be_compared(
    client: FlaskClient, users: dict[str, User], two_years: tuple[Workshop, Workshop]
) -> None:
    make_workshop(db.session, "Secret", users["admin"], slug="secret")
    db.session.commit()
    log_in(client, users["member"].email)
    assert client.get("/compare/?w=d-2020&w=secret").status_code == 404
    assert client.get("/compare/?by=colour").status_code == 404
    everything = client.get("/compare/").get_data(as_text=True)
    assert "Secret" not in everything and 'value="d-2021"' in everything

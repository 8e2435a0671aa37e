"""The gaps page lists each gap once, with its themes as tags, who raised it and from which
boroughs, and the closest datasets with why they fall short; any catalogue dataset can be
linked to a need through a search box."""

import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.nextsteps.services import is_gap
from insights.organisations.models import Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


def need_with_two_themes(users: dict[str, User]) -> tuple[Workshop, Statement]:
    """A gap tagged with two themes, raised in Hackney, with a duplicate merged in from Newham,
    and a restricted dataset suggested for it."""
    workshop = make_workshop(db.session, "Gaps", users["facilitator"], users["lead"])
    need = make_statement(db.session, workshop, "Volunteering figures for each ward.")
    org = Organisation(name="Hackney CVS", borough_code="E09000012")
    db.session.add(org)
    db.session.flush()
    need.organisation_id = org.id
    duplicate = make_statement(db.session, workshop, "Ward volunteering numbers, please.")
    duplicate.merged_into_id, duplicate.borough_code = need.id, "E09000025"
    duplicate.author_name = "Shazia Rahman"
    for slug in ("volunteering", "geography-comparison"):
        theme = db.session.scalars(sa.select(Theme).where(Theme.slug == slug)).one()
        db.session.add(StatementTheme(statement_id=need.id, theme_id=theme.id, confidence=0.9))
    survey = Dataset(title="Volunteering survey", access="restricted", keywords=[], extra={})
    db.session.add(survey)
    db.session.flush()
    db.session.add(
        NeedDatasetLink(
            statement_id=need.id,
            dataset_id=survey.id,
            status="suggested",
            score=0.6,
            reasons=["A ward need, but this dataset is only at region level."],
        )
    )
    db.session.commit()
    return workshop, need


def test_each_gap_is_listed_once_with_tags_people_places_and_shortfalls(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, need = need_with_two_themes(users)
    log_in(client, users["lead"].email)
    page = client.get(f"/graph/gaps?workshop={workshop.slug}").get_data(as_text=True)
    assert page.count(f'id="gap-{need.id}"') == 1  # not once under each of its two themes
    card = page.split(f'id="gap-{need.id}"', 1)[1].split("</li>\n    \n", 1)[0]
    assert re.search(r'class="tag"[^>]*>Volunteering and civic participation<', card)
    assert re.search(r'class="tag"[^>]*>Place and comparison across areas<', card)
    assert "Hackney CVS" in card and "Shazia Rahman" in card
    assert "from Hackney, Newham" in card
    assert "but this dataset is only at region level" in card
    assert "Access is restricted" in card
    assert "Make a next step for this gap" in card and "Draft a data request" in card


def test_the_theme_filter_shows_only_that_themes_gaps(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, need = need_with_two_themes(users)
    other = make_statement(db.session, workshop, "Grants by ward.")
    db.session.commit()
    log_in(client, users["lead"].email)
    url = f"/graph/gaps?workshop={workshop.slug}&theme=volunteering"
    page = client.get(url).get_data(as_text=True)
    assert f'id="gap-{need.id}"' in page and f'id="gap-{other.id}"' not in page


def test_any_catalogue_dataset_links_to_a_need_through_the_search_box(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, need = need_with_two_themes(users)
    unrelated = Dataset(title="Charity register download", publisher="Charity Commission")
    unrelated.keywords, unrelated.extra = [], {}
    db.session.add(unrelated)
    db.session.commit()
    log_in(client, users["lead"].email)
    page = client.get(f"/datasets/needs/{need.id}/?q=charity+register").get_data(as_text=True)
    found = page.split('id="link-any"', 1)[1]
    assert "Charity register download" in found
    assert f"/datasets/needs/{need.id}/links/{unrelated.id}" in found
    client.post(
        f"/datasets/needs/{need.id}/links/{unrelated.id}",
        data={"csrf_token": csrf_token_from(page), "action": "partly-serves"},
    )
    assert not is_gap(db.session, need)
    nothing = client.get(f"/datasets/needs/{need.id}/?q=zzzz").get_data(as_text=True)
    assert "No dataset in the catalogue matches “zzzz”." in nothing


def test_a_gaps_own_page_offers_the_same_two_actions_to_those_who_run_next_steps(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, need = need_with_two_themes(users)
    log_in(client, users["lead"].email)
    page = client.get(f"/datasets/needs/{need.id}/").get_data(as_text=True)
    assert f"/workshops/{workshop.slug}/next-steps/from-gap/{need.id}" in page
    assert f"/workshops/{workshop.slug}/data-requests/new" in page

"""Emerging themes: recurring phrases among post-its the taxonomy covers poorly."""

import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.extensions import db
from insights.themes.emerging import adopt_candidate, emerging_themes, weakly_tagged
from insights.themes.models import StatementTheme
from insights.themes.services import current_taxonomy, tag_statements
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, make_statement

CHURCH_HALLS = [
    "Church halls are the cheapest venues in the east of the city",
    "Which church halls have step-free access?",
    "Our church hall bookings doubled this winter",
    "We hold a membership database of 400 local groups",
]


def add_church_hall_post_its(workshop: Workshop) -> None:
    statements = [make_statement(db.session, workshop, text, "challenge") for text in CHURCH_HALLS]
    tag_statements(db.session, statements)
    db.session.commit()


def test_a_phrase_recurring_in_untagged_post_its_becomes_a_candidate(workshop: Workshop) -> None:
    add_church_hall_post_its(workshop)
    candidates = emerging_themes(db.session, weakly_tagged(db.session, [workshop.id]))
    halls = next(c for c in candidates if c.key == "church hall")
    assert len(halls.statements) == 3
    assert halls.label == "church halls"


def test_adopting_a_candidate_adds_a_theme_that_then_tags_those_post_its(
    workshop: Workshop,
) -> None:
    add_church_hall_post_its(workshop)
    theme = adopt_candidate(db.session, "church hall", "church halls")
    assert theme.patterns == [{"id": "church-halls/lemma:church_hall", "lemma": "church hall"}]
    assert "church-halls" in current_taxonomy(db.session).slugs
    statements = weakly_tagged(db.session, [workshop.id])
    tag_statements(db.session, statements)
    db.session.commit()
    evidence = db.session.scalars(
        sa.select(StatementTheme.evidence).where(StatementTheme.theme_id == theme.id)
    ).all()
    assert sorted(e[0].lower() for e in evidence) == ["church hall", "church halls", "church halls"]


def test_the_emerging_page_lists_candidates_and_an_admin_adds_one(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    add_church_hall_post_its(workshop)
    login("admin")
    page = client.get(f"/themes/emerging?workshop={workshop.slug}").get_data(as_text=True)
    assert "church halls" in page and "in 3 post-its" in page
    response = client.post(
        "/themes/emerging/adopt",
        data={"csrf_token": csrf_token_from(page), "key": "church hall", "label": "church halls"},
    )
    assert response.status_code == 302
    assert "Church halls" in client.get("/themes/taxonomy").get_data(as_text=True)

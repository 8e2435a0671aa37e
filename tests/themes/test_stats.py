"""Theme views: counts by workshop, exercise, kind and borough, co-occurrence, SVG charts."""

import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.review import decide_theme
from insights.themes.services import tag_statements
from insights.themes.stats import cooccurrence, counts_by, theme_totals
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop
from tests.themes.conftest import theme


def test_counts_by_kind_leave_out_rejected_themes(
    workshop: Workshop, tagged: list[Statement], users: dict[str, User]
) -> None:
    decide_theme(db.session, tagged[1], theme("funding-finance"), "rejected", users["admin"])
    by_kind = counts_by(db.session, [workshop.id], "kind")
    assert by_kind["need"]["Volunteering and civic participation"] == 1
    assert "Funding, grants and finances" not in by_kind.get("source", {})
    by_exercise = counts_by(db.session, [workshop.id], "exercise")
    assert sum(by_exercise[workshop.exercises[0].title].values()) >= 1


def test_cooccurrence_counts_post_its_carrying_both_themes(workshop: Workshop) -> None:
    make_statement(db.session, workshop, "Volunteering rates by borough, compared with London")
    tag_statements(db.session, db.session.scalars(sa.select(Statement)).all())
    names, matrix = cooccurrence(db.session, [workshop.id])
    a, b = (
        names.index("Volunteering and civic participation"),
        names.index("Place and comparison across areas"),
    )
    assert matrix[a][b] == matrix[b][a] == 1
    assert matrix[a][a] == dict(theme_totals(db.session, [workshop.id]))[names[a]]


def test_the_themes_page_draws_charts_with_text_alternatives(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("member")
    html = client.get("/themes/").get_data(as_text=True)
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "<title>Post-its per theme</title>" in html
    assert "The same figures as a table" in html and "By kind" in html


def test_the_themes_page_counts_only_workshops_the_person_may_open(
    client: FlaskClient, login, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    hidden = make_workshop(db.session, "Closed-door workshop")
    make_statement(db.session, hidden, "The pandemic emptied our volunteer rota")
    tag_statements(db.session, db.session.scalars(sa.select(Statement)).all())
    db.session.commit()
    login("member")
    html = client.get("/themes/").get_data(as_text=True)
    assert "Crisis response and recovery" not in html
    assert "Closed-door workshop" not in html
    narrowed = client.get(f"/themes/?workshop={hidden.slug}").get_data(as_text=True)
    assert "Closed-door workshop" not in narrowed

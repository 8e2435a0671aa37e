"""Editing the taxonomy: patterns as lines, add, rename, nest, merge; admins only."""

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.themes.review import decide_theme
from insights.themes.services import current_taxonomy
from insights.themes.taxonomy import (
    TaxonomyError,
    add_theme,
    effective_patterns,
    merge_themes,
    patterns_from_lines,
    patterns_to_lines,
    set_parent,
)
from tests.factories import csrf_token_from
from tests.themes.conftest import tags_of, theme


def test_pattern_lines_become_lemma_phrase_and_weighted_patterns() -> None:
    patterns = patterns_from_lines("food", 'food bank\n"Trussell Trust" @0.7\n\n# a comment')
    assert patterns == [
        {"id": "food/lemma:food_bank", "lemma": "food bank"},
        {"id": "food/phrase:trussell_trust", "phrase": "Trussell Trust", "weight": 0.7},
    ]


def test_starter_patterns_survive_a_round_trip_through_the_textarea(app) -> None:  # type: ignore[no-untyped-def]
    starter = effective_patterns(theme("sector-size-shape"))
    text = patterns_to_lines(starter)
    assert patterns_from_lines("sector-size-shape", text, starter) == starter


def test_a_bad_pattern_line_is_refused_with_its_number(app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TaxonomyError, match="line 2"):
        patterns_from_lines("x", "fine\nword @1.7")


def test_adding_a_theme_changes_the_taxonomy_version(app) -> None:  # type: ignore[no-untyped-def]
    before = current_taxonomy(db.session).version
    added = add_theme(db.session, "Food poverty", "food banks, holiday hunger")
    assert added.slug == "food-poverty"
    assert current_taxonomy(db.session).version != before


def test_a_theme_cannot_be_nested_inside_its_own_child(app) -> None:  # type: ignore[no-untyped-def]
    parent, child = theme("funding-finance"), theme("economy-workforce")
    set_parent(db.session, child, parent.id)
    with pytest.raises(TaxonomyError, match="inside itself"):
        set_parent(db.session, parent, child.id)


def test_merging_moves_the_tags_and_keeps_peoples_decisions(
    tagged: list[Statement], users: dict[str, User]
) -> None:
    volunteering, sector = theme("volunteering"), theme("sector-size-shape")
    decide_theme(db.session, tagged[0], volunteering, "accepted", users["facilitator"])
    merge_themes(db.session, volunteering, sector)
    db.session.commit()
    assert volunteering.merged_into_id == sector.id
    moved = tags_of(tagged[0])["sector-size-shape"]
    assert (moved.decision, moved.decided_by_id) == ("accepted", users["facilitator"].id)
    left = db.session.scalar(
        sa.select(sa.func.count()).where(StatementTheme.theme_id == volunteering.id)
    )
    assert left == 0
    assert "volunteering" not in current_taxonomy(db.session).slugs
    assert any(p["id"].startswith("volunteering/") for p in effective_patterns(sector))


def test_an_admin_edits_a_theme_through_the_form(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    volunteering = theme("volunteering")
    page = client.get(f"/themes/taxonomy/{volunteering.id}").get_data(as_text=True)
    assert "volunteer" in page and "Merge into another theme" in page
    response = client.post(
        f"/themes/taxonomy/{volunteering.id}",
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Volunteering",
            "description": "volunteers and volunteering",
            "parent_id": str(theme("community-need").id),
            "patterns": 'volunteer\n"time bank"',
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert volunteering.name == "Volunteering"
    assert volunteering.parent_id == theme("community-need").id
    assert [p["id"] for p in volunteering.patterns] == [
        "volunteering/lemma:volunteer",
        "volunteering/phrase:time_bank",
    ]


def test_an_admin_merges_a_theme_through_the_form(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    crisis, need = theme("crisis-response"), theme("community-need")
    page = client.get(f"/themes/taxonomy/{crisis.id}").get_data(as_text=True)
    client.post(
        f"/themes/taxonomy/{crisis.id}/merge",
        data={"csrf_token": csrf_token_from(page), "into_id": str(need.id)},
    )
    db.session.expire_all()
    assert crisis.merged_into_id == need.id
    listing = client.get("/themes/taxonomy").get_data(as_text=True)
    assert "Crisis response and recovery → Community need and demographics" in listing


def test_facilitators_read_the_taxonomy_but_cannot_edit_it(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    assert client.get("/themes/taxonomy").status_code == 200
    assert client.get("/themes/taxonomy/new").status_code == 403
    assert client.get(f"/themes/taxonomy/{theme('volunteering').id}").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == 13

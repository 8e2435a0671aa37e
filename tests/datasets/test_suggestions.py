"""Suggestions stored for needs: one pass per workshop, decisions kept, rejections respected."""

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.datasets.services import decide_link, load_starter_catalogue
from insights.datasets.suggestions import (
    dataset_from_statement,
    link_statement_to_dataset,
    refresh_workshop_suggestions,
    suggest_for_statement,
    title_from_text,
)
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.themes.models import StatementTheme, Theme
from tests.factories import make_statement, make_workshop


def by_title(title: str) -> Dataset:
    """A starter dataset by its exact title."""
    dataset = db.session.scalar(sa.select(Dataset).where(Dataset.title == title))
    assert dataset is not None
    return dataset


def test_a_need_gets_ranked_datasets_with_reasons(app: Flask) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    need = make_statement(db.session, workshop, "Which funders give grants to groups in Newham")
    ranked = suggest_for_statement(db.session, need)
    assert ranked[0].dataset.title in {"GrantNav", "360Giving Datastore"}
    assert ranked[0].suggestion.reasons
    assert [r.suggestion.score for r in ranked] == sorted(
        (r.suggestion.score for r in ranked), reverse=True
    )


def test_a_rejected_dataset_is_never_suggested_again(app: Flask, users: dict[str, User]) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    need = make_statement(db.session, workshop, "Deprivation by ward to target our outreach")
    first = suggest_for_statement(db.session, need)[0].dataset
    decide_link(db.session, need, first, status="rejected", user=users["facilitator"])
    assert first.id not in {r.dataset.id for r in suggest_for_statement(db.session, need)}
    refresh_workshop_suggestions(db.session, workshop)
    statuses = db.session.scalars(
        sa.select(NeedDatasetLink.status).where(NeedDatasetLink.dataset_id == first.id)
    ).all()
    assert statuses == ["rejected"]


def test_suggestions_for_a_whole_workshop_keep_the_decisions(
    app: Flask, users: dict[str, User]
) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    needs = [
        make_statement(db.session, workshop, "Borough-level volunteering rates"),
        make_statement(db.session, workshop, "Child poverty figures for each London borough"),
    ]
    profiles = by_title("London Borough Profiles")
    decide_link(
        db.session, needs[1], profiles, status="confirmed", coverage="partly-serves", user=None
    )
    stored = refresh_workshop_suggestions(db.session, workshop)
    stored_again = refresh_workshop_suggestions(db.session, workshop)
    links = db.session.scalars(sa.select(NeedDatasetLink)).all()
    assert stored == stored_again == len([k for k in links if k.status == "suggested"]) > 0
    confirmed = [k for k in links if k.status == "confirmed"]
    assert [(k.dataset_id, k.coverage) for k in confirmed] == [(profiles.id, "partly-serves")]


def test_themes_of_a_need_come_from_its_tags_unless_rejected(app: Flask) -> None:
    dataset = Dataset(title="Survey results", keywords=["survey"], extra={})
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    dataset.themes = [themes["volunteering"]]
    db.session.add(dataset)
    workshop = make_workshop(db.session)
    need = make_statement(db.session, workshop, "Survey results please")
    tag = StatementTheme(statement_id=need.id, theme_id=themes["volunteering"].id)
    db.session.add(tag)
    db.session.flush()
    (ranked,) = suggest_for_statement(db.session, need)
    assert any(r.startswith("Shared themes: Volunteering") for r in ranked.suggestion.reasons)
    tag.decision = "rejected"
    db.session.flush()
    (ranked,) = suggest_for_statement(db.session, need)
    assert not any(r.startswith("Shared themes") for r in ranked.suggestion.reasons)


def test_a_collected_post_it_becomes_a_dataset_held_by_its_organisation(app: Flask) -> None:
    organisation = Organisation(name="Hackney CVS", type="cvs", borough_code="E09000012")
    db.session.add(organisation)
    workshop = make_workshop(db.session)
    statement = make_statement(
        db.session, workshop, "Our member database. 300 groups with activity and size", "collected"
    )
    statement.organisation_id = organisation.id
    db.session.flush()
    dataset = dataset_from_statement(db.session, statement, None)
    assert dataset.title == "Our member database"
    assert dataset.holder is organisation
    assert dataset.spatial_coverage == "Hackney"
    assert dataset.access == "held-privately"
    assert dataset.source_statement_id == statement.id


def test_a_source_post_it_links_to_an_existing_dataset(app: Flask) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    statement = make_statement(db.session, workshop, "GrantNav for who funds whom", "source")
    ranked = suggest_for_statement(db.session, statement)
    assert ranked[0].dataset.title == "GrantNav"
    link = link_statement_to_dataset(db.session, statement, ranked[0].dataset, None)
    assert (link.status, link.coverage) == ("confirmed", "serves")


def test_working_titles_stop_at_the_first_sentence_and_a_word() -> None:
    assert title_from_text("Charity Commission register, the full download.") == (
        "Charity Commission register"
    )
    assert title_from_text("word " * 60).endswith("…")


def test_saving_a_need_stores_its_suggestions_at_once(app: Flask) -> None:
    from insights.themes.services import tag_statements

    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    need = make_statement(db.session, workshop, "Which funders give grants to groups in Newham")
    tag_statements(db.session, [need])
    stored = db.session.scalars(
        sa.select(NeedDatasetLink).where(NeedDatasetLink.statement_id == need.id)
    ).all()
    assert stored and all(link.status == "suggested" for link in stored)
    assert {link.strength for link in stored} <= {"strong", "possible", "weak"}


def test_a_challenge_naming_data_gets_suggestions_and_one_about_lunch_does_not(
    app: Flask,
) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    gap = make_statement(
        db.session, workshop, "No complete dataset of charitable grants exists", kind="challenge"
    )
    lunch = make_statement(db.session, workshop, "Lunch ran late again", kind="challenge")
    refresh_workshop_suggestions(db.session, workshop)
    linked = set(db.session.scalars(sa.select(NeedDatasetLink.statement_id)))
    assert gap.id in linked and lunch.id not in linked


def test_a_catalogue_change_refreshes_stored_suggestions(app: Flask) -> None:
    from insights.datasets.services import create_dataset
    from insights.datasets.suggestions import after_catalogue_change

    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    need = make_statement(db.session, workshop, "We need allotment waiting lists by ward")
    refresh_workshop_suggestions(db.session, workshop)
    dataset = create_dataset(
        db.session,
        {"title": "Allotment waiting lists by ward", "description": "Allotment waiting lists."},
        [],
    )
    assert after_catalogue_change(db.session) == "done"
    first = db.session.scalars(
        sa.select(NeedDatasetLink)
        .where(NeedDatasetLink.statement_id == need.id)
        .order_by(NeedDatasetLink.score.desc())
    ).first()
    assert first is not None and first.dataset_id == dataset.id
    assert first.strength == "strong"


def test_a_catalogue_change_over_many_post_its_is_queued_as_one_suggestions_job(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from insights.datasets import suggestions
    from insights.jobs import active_job

    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session)
    for number in range(3):
        make_statement(db.session, workshop, f"We need grants data for groups, number {number}")
    monkeypatch.setattr(suggestions, "SYNC_REFRESH_LIMIT", 2)
    assert suggestions.after_catalogue_change(db.session) == "queued"
    assert suggestions.after_catalogue_change(db.session) == "queued"
    job = active_job(db.session, "suggestions", None)
    assert job is not None and job.kind == "suggestions"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(job))) == 1

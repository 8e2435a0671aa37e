"""Statement services: adding, editing with conflict detection, delete and restore, merge, split."""

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement, StatementRevision
from insights.statements.services import (
    EditConflict,
    StatementError,
    StatementInput,
    add_statement,
    delete_statement,
    edit_statement,
    merge_statements,
    merged_evidence,
    restore_statement,
    split_statement,
    unmerge_statement,
)
from tests.factories import make_statement, make_workshop


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]):  # type: ignore[no-untyped-def]
    return make_workshop(db.session, "Services", users["facilitator"])


def test_add_statement_keeps_the_original_wording_and_resolves_borough_names(
    workshop, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    data = StatementInput(
        text="  Need ward data  ",
        exercise_key="uses",
        borough="hackney",
        organisation="Hackney CVS",
    )
    statement = add_statement(db.session, workshop, data, users["facilitator"])
    assert statement.text == statement.original_text == "Need ward data"
    assert statement.kind == "need" and statement.need is not None
    assert statement.borough_code == "E09000012"
    assert statement.organisation is not None and statement.organisation.name == "Hackney CVS"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (StatementInput(text="   "), "empty"),
        (StatementInput(text="x" * 2001, kind="idea"), "2,001 characters"),
        (StatementInput(text="fine", kind="wish"), "Unknown kind 'wish'"),
        (StatementInput(text="fine", exercise_key="nope"), "no exercise 'nope'"),
        (StatementInput(text="fine", kind="idea", borough="Narnia"), "'Narnia' is not a London"),
    ],
)
def test_add_statement_refuses_bad_input_with_a_clear_message(
    workshop, users: dict[str, User], data: StatementInput, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementError, match=message):
        add_statement(db.session, workshop, data, users["facilitator"])


def test_an_edit_keeps_the_original_and_records_the_change(
    workshop, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    statement = make_statement(db.session, workshop, "borough data on volunteering")
    edit_statement(
        db.session,
        statement,
        "Borough-level volunteering data",
        statement.version,
        users["facilitator"],
    )
    db.session.commit()
    assert statement.original_text == "borough data on volunteering"
    assert statement.text == "Borough-level volunteering data"
    revision = db.session.scalar(sa.select(StatementRevision))
    assert revision is not None and revision.action == "edit"
    assert revision.text_before == "borough data on volunteering"


def test_a_stale_edit_is_a_conflict_not_an_overwrite(workshop, users: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    statement = make_statement(db.session, workshop, "first wording")
    opened_at_version = statement.version
    edit_statement(
        db.session, statement, "someone else's wording", opened_at_version, users["facilitator"]
    )
    db.session.commit()
    with pytest.raises(EditConflict) as conflict:
        edit_statement(
            db.session, statement, "my late wording", opened_at_version, users["facilitator"]
        )
    assert conflict.value.statement.text == "someone else's wording"
    assert conflict.value.attempted_text == "my late wording"


def test_delete_is_soft_and_restore_brings_it_back(workshop, users: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    statement = make_statement(db.session, workshop, "to be deleted")
    delete_statement(db.session, statement, users["facilitator"])
    db.session.commit()
    assert db.session.get(Statement, statement.id) is not None
    assert statement.is_deleted
    restore_statement(db.session, statement, users["facilitator"])
    assert not statement.is_deleted


def test_merge_keeps_every_wording_as_evidence_and_can_be_undone(
    workshop, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    keep = make_statement(db.session, workshop, "Survey fatigue")
    twin = make_statement(db.session, workshop, "Too many surveys for small groups")
    merge_statements(db.session, keep, [twin], users["facilitator"])
    db.session.commit()
    assert [s.original_text for s in merged_evidence(db.session, keep)] == [
        "Too many surveys for small groups"
    ]
    unmerge_statement(db.session, twin, users["facilitator"])
    assert twin.merged_into_id is None


def test_split_makes_two_post_its_and_keeps_the_original(workshop, users: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    statement = make_statement(db.session, workshop, "Grants data and volunteering data")
    first, second = split_statement(
        db.session, statement, "Grants data", "Volunteering data", users["facilitator"]
    )
    db.session.commit()
    assert (first.text, second.text) == ("Grants data", "Volunteering data")
    assert first.split_from_id == second.split_from_id == statement.id
    assert first.need is not None and second.need is not None
    assert statement.is_deleted and statement.text == "Grants data and volunteering data"


def test_merging_across_workshops_is_refused(workshop, users: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    other = make_workshop(db.session, "Other")
    with pytest.raises(StatementError, match="same workshop"):
        merge_statements(
            db.session,
            make_statement(db.session, workshop, "a"),
            [make_statement(db.session, other, "b")],
            users["facilitator"],
        )


def test_tagging_does_not_make_an_open_edit_form_stale(workshop, users: dict[str, User]) -> None:  # type: ignore[no-untyped-def]
    from insights.themes.services import tag_statements

    statement = make_statement(db.session, workshop, "Grants data for Hackney")
    db.session.commit()
    opened_at_version = statement.version
    tag_statements(db.session, [statement], force=True)
    db.session.commit()
    db.session.expire_all()
    assert statement.version == opened_at_version
    assert statement.mentions and {tag.theme.slug for tag in statement.tags} >= {"funding-finance"}
    edit_statement(
        db.session,
        statement,
        "Grants data for Hackney, by ward",
        opened_at_version,
        users["facilitator"],
    )

"""Each change the issue lists leaves exactly one audit entry, saying who, where, what, and
the values before and after where they matter."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.auth.services import change_password
from insights.datasets.models import Dataset
from insights.datasets.services import (
    create_dataset,
    decide_link,
    import_catalogue_file,
    undo_link_decision,
    update_dataset,
)
from insights.datasets.suggestions import dataset_from_statement, publish_dataset
from insights.extensions import db
from insights.nextsteps.factors import set_weights
from insights.nextsteps.services import (
    NextStepInput,
    create_next_step,
    delete_next_step,
    restore_next_step,
    update_next_step,
)
from insights.roundups.services import generate, publish, share
from insights.statements.imports import paste_statements, plan_for
from insights.statements.services import (
    StatementInput,
    add_statement,
    delete_statement,
    edit_statement,
    merge_statements,
    restore_statement,
    split_statement,
    unmerge_statement,
)
from insights.themes.models import Theme
from insights.themes.review import decide_for_many, decide_theme, undo_decision
from insights.themes.taxonomy import add_theme, merge_themes, update_theme
from insights.voting.services import close_round, open_round
from insights.workshops.models import Workshop
from insights.workshops.services import (
    add_member,
    enable_participant_link,
    revoke_participant_link,
)
from tests.factories import PASSWORD, make_statement, make_user, make_workshop


def entries() -> int:
    """How many entries the log holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0


def exactly_one(action: str, change: Callable[[], Any], by: User | None = None) -> AuditEntry:
    """Make the change, commit it, and return the one entry it left."""
    before = entries()
    change()
    db.session.commit()
    assert entries() == before + 1, f"{action}: {entries() - before} entries"
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == action
    if by is not None:
        assert entry.user_id == by.id, action
    return entry


@pytest.fixture
def room(app: Flask, users: dict[str, User]) -> Workshop:
    """A live workshop the facilitator runs."""
    workshop = make_workshop(db.session, "Audited", users["facilitator"], status="live")
    db.session.commit()
    return workshop


def test_statement_changes_leave_one_entry_each(room: Workshop, users: dict[str, User]) -> None:
    me = users["facilitator"]
    added: list[Any] = []
    entry = exactly_one(
        "statement.add",
        lambda: added.append(
            add_statement(db.session, room, StatementInput("Ward data", kind="need"), me)
        ),
        me,
    )
    assert entry.workshop_id == room.id and entry.after["text"] == "Ward data"
    card = added[0]
    entry = exactly_one(
        "statement.edit",
        lambda: edit_statement(db.session, card, "Ward-level data", card.version, me),
        me,
    )
    assert (entry.before, entry.after) == ({"text": "Ward data"}, {"text": "Ward-level data"})
    exactly_one("statement.delete", lambda: delete_statement(db.session, card, me), me)
    exactly_one("statement.restore", lambda: restore_statement(db.session, card, me), me)
    other = make_statement(db.session, room, "Ward data please")
    exactly_one("statement.merge", lambda: merge_statements(db.session, card, [other], me), me)
    exactly_one("statement.unmerge", lambda: unmerge_statement(db.session, other, me), me)
    exactly_one("statement.split", lambda: split_statement(db.session, other, "A", "B", me), me)
    plan = plan_for(db.session, room, kind="idea")
    exactly_one("statement.paste", lambda: paste_statements(db.session, plan, "One\nTwo", me))


def test_theme_and_taxonomy_changes_leave_one_entry_each(
    room: Workshop, users: dict[str, User]
) -> None:
    me, admin = users["facilitator"], users["admin"]
    card = make_statement(db.session, room, "Volunteering rates")
    theme = db.session.scalars(sa.select(Theme).order_by(Theme.id)).first()
    assert theme is not None
    entry = exactly_one(
        "theme_tag.decide", lambda: decide_theme(db.session, card, theme, "accepted", me), me
    )
    assert entry.after == {"decision": "accepted", "theme": theme.slug}
    exactly_one("theme_tag.undo", lambda: undo_decision(db.session, card, theme, me), me)
    two = [card, make_statement(db.session, room, "Volunteer hours")]
    exactly_one(
        "theme_tag.bulk", lambda: decide_for_many(db.session, two, theme, "rejected", me), me
    )
    made: list[Theme] = []
    exactly_one(
        "theme.add", lambda: made.append(add_theme(db.session, "Faith groups", by=admin)), admin
    )
    entry = exactly_one(
        "theme.edit",
        lambda: update_theme(
            db.session,
            made[0],
            name="Faith-based groups",
            description="",
            parent_id=None,
            patterns_text="",
            by=admin,
        ),
        admin,
    )
    assert entry.before == {"name": "Faith groups"} and entry.after == {
        "name": "Faith-based groups"
    }
    exactly_one("theme.merge", lambda: merge_themes(db.session, made[0], theme, admin), admin)


def test_dataset_and_link_changes_leave_one_entry_each(
    room: Workshop, users: dict[str, User]
) -> None:
    me = users["facilitator"]
    need = make_statement(db.session, room, "Grants by ward")
    made: list[Dataset] = []
    exactly_one(
        "dataset.create",
        lambda: made.append(create_dataset(db.session, {"title": "360Giving"}, [], user=me)),
        me,
    )
    dataset = made[0]
    entry = exactly_one(
        "dataset.edit",
        lambda: update_dataset(
            db.session,
            dataset,
            {"publisher": "360Giving"},
            [],
            seen_version=dataset.version,
            user=me,
        ),
        me,
    )
    assert entry.after == {"publisher": "360Giving"}
    entry = exactly_one(
        "link.decide",
        lambda: decide_link(
            db.session, need, dataset, status="confirmed", coverage="serves", user=me
        ),
        me,
    )
    assert entry.after == {"status": "confirmed", "coverage": "serves"}
    exactly_one("link.undo", lambda: undo_link_decision(db.session, need, dataset, me), me)
    collected = make_statement(db.session, room, "Our member list", "collected")
    exactly_one(
        "dataset.create", lambda: made.append(dataset_from_statement(db.session, collected, me)), me
    )
    entry = exactly_one(
        "dataset.publish", lambda: publish_dataset(db.session, made[-1], me, True), me
    )
    assert entry.before == {"published": False} and entry.workshop_id == room.id
    exactly_one(
        "dataset.import",
        lambda: import_catalogue_file(
            db.session, b"title,publisher\nCharity register,Charity Commission\n", "c.csv", user=me
        ),
        me,
    )


def test_next_step_vote_weight_and_roundup_changes_leave_one_entry_each(
    room: Workshop, users: dict[str, User]
) -> None:
    me = users["facilitator"]
    steps: list[Any] = []
    exactly_one(
        "next_step.create",
        lambda: steps.append(create_next_step(db.session, room, NextStepInput(title="Map"), me)),
        me,
    )
    step = steps[0]
    entry = exactly_one(
        "next_step.edit",
        lambda: update_next_step(
            db.session, step, NextStepInput(title="Map groups", impact=4), step.version, me
        ),
        me,
    )
    assert entry.before == {"title": "Map", "impact": None}
    assert entry.after == {"title": "Map groups", "impact": 4}
    exactly_one("next_step.delete", lambda: delete_next_step(db.session, step, me), me)
    exactly_one("next_step.restore", lambda: restore_next_step(db.session, step, me), me)
    rounds: list[Any] = []
    exactly_one(
        "vote.open",
        lambda: rounds.append(
            open_round(db.session, room, title="First?", next_steps=[step], opened_by=me)
        ),
        me,
    )
    exactly_one("vote.close", lambda: close_round(db.session, rounds[0], me), me)
    entry = exactly_one(
        "weights.set", lambda: set_weights(db.session, room, {"votes": "5"}, me), me
    )
    assert list(entry.after) == ["votes"]
    roundup = generate(db.session, room, me)
    db.session.commit()
    entry = exactly_one(
        "roundup.publish",
        lambda: publish(roundup, roundup.version, "public", session=db.session, by=me),
        me,
    )
    assert entry.after["public_link"] is True
    entry = exactly_one(
        "roundup.unshare_public",
        lambda: share(roundup, "members", session=db.session, by=me),
        me,
    )
    assert entry.after == {"status": "published", "visibility": "members", "public_link": False}
    exactly_one(
        "roundup.share_public", lambda: share(roundup, "public", session=db.session, by=me), me
    )


def test_member_link_and_account_changes_leave_one_entry_each(
    room: Workshop, users: dict[str, User], runner: Any
) -> None:
    me = users["facilitator"]
    entry = exactly_one(
        "member.add", lambda: add_member(db.session, room, users["lead"], "member", by=me), me
    )
    assert entry.after["role"] == "member" and entry.workshop_id == room.id
    exactly_one("workshop.link_open", lambda: enable_participant_link(room, db.session, me), me)
    exactly_one("workshop.link_revoke", lambda: revoke_participant_link(room, db.session, me), me)
    member = users["member"]
    entry = exactly_one(
        "user.password",
        lambda: change_password(member, PASSWORD, "paper lantern orbit seventeen", db.session),
        member,
    )
    before = entries()
    result = runner.invoke(
        args=["users", "create", "new@example.test", "--role", "member", "--password-stdin"],
        input="paper lantern orbit seventeen\n",
    )
    assert result.exit_code == 0, result.output
    assert entries() == before + 1
    make_user(db.session, "member")

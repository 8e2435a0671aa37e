"""The pages added late (data standards, submissions, pooled open data, data requests, carry
forward) leave exactly one audit entry for each change they make, like every other feature."""

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask

from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.carry.services import carry_items
from insights.extensions import db
from insights.pooling.opendata import Addresses, publish_release, served_needs
from insights.requests.services import draft_request, mark_sent, record_reply, update_draft
from insights.standards.interchange import import_standard
from insights.standards.outputs import schema_json
from insights.standards.services import (
    FieldInput,
    add_library_field,
    draft_from_workshop,
    draft_of,
    publish,
    remove_field,
    save_field,
)
from insights.submissions.services import Slot, confirm_replacement, process, start
from tests.audit.test_every_change import exactly_one
from tests.factories import make_statement, make_user, make_workshop
from tests.standards.builders import filled_csv, workshop_with_needs


def addresses(release: Any) -> Addresses:
    """Made-up addresses for a release."""
    base = f"http://127.0.0.1/open/{release.id}"
    return Addresses(page=base, csv=f"{base}.csv", xlsx=f"{base}.xlsx", schema=f"{base}.json")


def test_standard_changes_leave_one_entry_each(app: Flask, users: dict[str, User]) -> None:
    me = users["lead"]
    workshop = workshop_with_needs(db.session, me)
    db.session.commit()
    made: list[Any] = []
    exactly_one(
        "standard.draft", lambda: made.append(draft_from_workshop(db.session, workshop, me)), me
    )
    standard = made[0]
    version = standard.versions[0]
    exactly_one(
        "standard.field",
        lambda: save_field(db.session, version, FieldInput(name="extra", title="Extra"), me),
        me,
    )
    extra = next(f for f in version.fields if f.name == "extra")
    exactly_one("standard.field_removed", lambda: remove_field(db.session, version, extra, me), me)
    exactly_one("standard.publish", lambda: publish(db.session, version, version.version, me), me)
    drafts: list[Any] = []
    entry = exactly_one(
        "standard.next_version", lambda: drafts.append(draft_of(db.session, standard, me)), me
    )
    assert entry.workshop_id == workshop.id and entry.after["number"] == 2
    exactly_one(
        "standard.field",
        lambda: (
            add_library_field(db.session, drafts[0], "charity_number", me)
            if not any(f.name == "charity_number" for f in drafts[0].fields)
            else save_field(db.session, drafts[0], FieldInput(name="more", title="More"), me)
        ),
        me,
    )
    schema = schema_json(version)
    other = make_workshop(db.session, "Another network", me)
    db.session.commit()
    entry = exactly_one(
        "standard.import", lambda: import_standard(db.session, other, schema, me), me
    )
    assert entry.workshop_id == other.id and entry.details["fields"] == len(version.fields)


def test_submission_pool_request_and_carry_changes_leave_one_entry_each(
    app: Flask, users: dict[str, User]
) -> None:
    me = users["lead"]
    workshop = workshop_with_needs(db.session, me)
    standard = draft_from_workshop(db.session, workshop, me)
    version = standard.versions[0]
    publish(db.session, version, version.version, me)
    db.session.commit()
    slot = Slot(version, "E09000012", 2024)

    def submit(count: int, seed: int) -> Any:
        upload = (filled_csv(version, "Hackney", count, seed=seed), "hackney.csv")
        submission = start(db.session, slot, "Hackney CVS", me, upload)
        return process(db.session, submission, may_replace=True)

    exactly_one("submission.accept", lambda: submit(12, 1), me)
    outcomes: list[Any] = []
    submit_again = lambda: outcomes.append(submit(14, 2))  # noqa: E731
    submit_again()
    db.session.commit()
    assert outcomes[0].state == "needs-confirmation"
    entry = exactly_one(
        "submission.accept", lambda: confirm_replacement(db.session, outcomes[0].submission), me
    )
    assert entry.details["replaced"] is not None
    # Publishing also enters the release in the catalogue and confirms its links: one entry
    # for each of those changes too, and one for the release.
    before = db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))
    publish_release(db.session, standard, me, addresses)
    db.session.commit()
    actions = Counter(
        db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.id > before))
    )
    assert actions == {
        "pool.publish": 1,
        "dataset.create": 1,
        "link.decide": len(served_needs(standard)),
    }

    need = make_statement(db.session, workshop, "We need data on food banks by ward")
    drafted: list[Any] = []
    exactly_one(
        "data_request.drafted",
        lambda: drafted.append(draft_request(db.session, workshop, [need], me)),
        me,
    )
    request = drafted[0]
    fields = {"addressee": "ONS", "contact": "", "subject": "Food banks", "body": "Please"}
    exactly_one(
        "data_request.edit",
        lambda: update_draft(db.session, request, request.version, fields, [need], me),
        me,
    )
    exactly_one("data_request.sent", lambda: mark_sent(db.session, request, date(2024, 1, 8), me))
    exactly_one(
        "data_request.declined",
        lambda: record_reply(
            db.session,
            request,
            status="declined",
            on=date(2024, 2, 1),
            answer="No",
            dataset=None,
            coverage="serves",
            user=me,
        ),
        me,
    )
    later = make_workshop(db.session, "Later", me)
    left = make_statement(db.session, workshop, "Nobody took this up", kind="idea")
    db.session.commit()
    exactly_one(
        "statement.carry",
        lambda: carry_items(
            db.session,
            workshop,
            later,
            statement_ids=[left.id],
            next_step_ids=[],
            mode="copy",
            user=me,
        ),
        me,
    )
    assert make_user(db.session, "member")

"""The audit page: admins filter by workshop, person and kind, and export what they see as CSV."""

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import db
from tests.factories import make_workshop


def seed(users: dict[str, User]) -> tuple[int, int]:
    """Three entries in two workshops by two people."""
    one = make_workshop(db.session, "Hackney data day")
    two = make_workshop(db.session, "Lambeth data day")
    facilitator, lead = users["facilitator"], users["lead"]
    record(
        db.session,
        "statement.edit",
        "statement",
        1,
        user_id=facilitator.id,
        workshop_id=one.id,
        before={"text": "old"},
        after={"text": "=new"},
    )
    record(db.session, "vote.open", "vote", 2, user_id=lead.id, workshop_id=one.id)
    record(db.session, "roundup.publish", "roundup", 3, user_id=lead.id, workshop_id=two.id)
    db.session.commit()
    return one.id, two.id


def test_the_audit_page_filters_by_workshop_person_and_kind(
    app: Flask, client: FlaskClient, users: dict[str, User], login
) -> None:  # type: ignore[no-untyped-def]
    one, two = seed(users)
    login("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count("<tr><td>") == 3
    by_workshop = client.get(f"/admin/audit?workshop={one}").get_data(as_text=True)
    assert "statement.edit" in by_workshop and "roundup.publish" not in by_workshop
    by_person = client.get(f"/admin/audit?person={users['lead'].id}").get_data(as_text=True)
    assert "vote.open" in by_person and "statement.edit" not in by_person
    by_kind = client.get("/admin/audit?kind=roundup").get_data(as_text=True)
    assert "roundup.publish" in by_kind and "vote.open" not in by_kind
    assert client.get("/admin/audit?workshop=99999999999999999999&page=-4").status_code == 200


def test_the_audit_csv_holds_the_filtered_entries_with_before_and_after_guarded(
    app: Flask, client: FlaskClient, users: dict[str, User], login
) -> None:  # type: ignore[no-untyped-def]
    one, _ = seed(users)
    login("admin")
    response = client.get(f"/admin/audit.csv?workshop={one}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["action"] for row in rows] == ["vote.open", "statement.edit"]
    edit = rows[1]
    assert edit["who"] == "facilitator@example.test" and edit["workshop"] == "Hackney data day"
    assert edit["before"] == '{"text": "old"}' and edit["after"] == '{"text": "=new"}'


def test_only_admins_read_the_audit_log(
    app: Flask, client: FlaskClient, users: dict[str, User], login
) -> None:  # type: ignore[no-untyped-def]
    login("lead")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403

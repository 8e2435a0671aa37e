"""The audit log a hundred entries at a time, newest first, the filter kept between pages."""

from flask import Flask
from flask.testing import FlaskClient

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import db
from tests.factories import make_workshop


def test_the_audit_log_pages_through_the_filtered_entries(
    app: Flask, client: FlaskClient, users: dict[str, User], login
) -> None:  # type: ignore[no-untyped-def]
    kept = make_workshop(db.session, "Kept")
    other = make_workshop(db.session, "Other")
    for n in range(130):
        record(db.session, "statement.edit", "statement", n + 1, workshop_id=kept.id)
        record(db.session, "vote.open", "vote", n + 1, workshop_id=other.id)
    db.session.commit()
    login("admin")
    first = client.get(f"/admin/audit?workshop={kept.id}").get_data(as_text=True)
    assert first.count("<tr><td>") == 100 and "vote.open" not in first
    assert "1–100 of 130 entries" in first
    assert f'href="/admin/audit?workshop={kept.id}&amp;page=2"' in first
    second = client.get(f"/admin/audit?workshop={kept.id}&page=2").get_data(as_text=True)
    assert second.count("<tr><td>") == 30 and "vote.open" not in second
    assert "statement 1</td>" in second and "statement 130</td>" not in second  # the oldest
    for value in ("-1", "abc", "999999999999999999999"):
        assert client.get(f"/admin/audit?page={value}").status_code == 200

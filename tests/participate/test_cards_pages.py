"""Everyone's post-its on a phone, 200 at a time, newest first, with the true counts."""

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.services import enable_participant_link
from tests.factories import make_workshop


def test_the_participant_cards_come_200_to_a_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(
        db.session, "Phones", users["facilitator"], status="live", participants_see_cards=True
    )
    token = enable_participant_link(workshop)
    need = next(e for e in workshop.exercises if e.kind == "need")
    for n in range(210):
        text = f"Phone card {n:03d}"
        db.session.add(
            Statement(
                workshop_id=workshop.id,
                exercise_id=need.id,
                kind="need",
                original_text=text,
                text=text,
                created_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(seconds=n),
            )
        )
    db.session.commit()
    first = client.get(f"/p/{token}/cards").get_data(as_text=True)
    assert first.count('class="card-text">Phone card') == 200
    assert "Phone card 209" in first and "Phone card 009" not in first
    assert "210 post-its" in first  # the exercise's true count
    second = client.get(f"/p/{token}/cards?page=2").get_data(as_text=True)
    assert second.count('class="card-text">Phone card') == 10 and "Phone card 000" in second
    for value in ("-1", "abc", "999999999999999999999"):
        assert client.get(f"/p/{token}/cards?page={value}").status_code == 200

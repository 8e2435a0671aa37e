"""The first screen, per role: what that person does next, and a button for it."""

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.roundups.services import generate, publish
from insights.voting.services import open_round
from tests.factories import make_workshop


def home(client: FlaskClient) -> str:
    return client.get("/").get_data(as_text=True)


def test_a_facilitator_with_a_live_workshop_sees_new_capture_and_present(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Live now", users["facilitator"], status="live")
    make_workshop(db.session, "Still a draft", users["facilitator"])
    db.session.commit()
    login("facilitator")
    page = home(client)
    assert "New workshop" in page
    assert f"/workshops/{workshop.slug}/capture" in page
    assert f"/workshops/{workshop.slug}/present/" in page
    assert page.count("is live.") == 1


def test_a_lead_sees_gaps_next_steps_and_open_votes(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Decide", users["facilitator"], users["lead"])
    step = NextStep(workshop_id=workshop.id, title="Pool volunteering data")
    db.session.add(step)
    open_round(db.session, workshop, title="Which first?", next_steps=[step])
    db.session.commit()
    login("lead")
    page = home(client)
    assert ">Gaps<" in page and ">Next steps<" in page
    assert "Vote: Which first?" in page
    assert "New workshop" not in page


def test_a_member_sees_round_ups_to_read_and_votes_open_to_them(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Shared", users["facilitator"], users["member"])
    hidden = make_workshop(db.session, "Not theirs", users["facilitator"])
    for w in (workshop, hidden):
        roundup = generate(db.session, w, None)
        publish(roundup, roundup.version, "members")
    step = NextStep(workshop_id=workshop.id, title="Agree common questions")
    db.session.add(step)
    open_round(db.session, workshop, title="Pick two", next_steps=[step])
    db.session.commit()
    login("member")
    page = home(client)
    assert "Round-up:" in page and "Vote open: Pick two" in page
    assert "Not theirs" not in page
    assert "Round-up: Round-up:" not in page  # the round-up's own title already says it


def test_an_empty_home_page_says_what_to_do_with_the_button_to_do_it(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    page = home(client)
    assert "You have no workshops yet" in page and "Create your first workshop" in page


def test_an_empty_home_page_for_a_member_points_somewhere_useful(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    login("member")
    page = home(client)
    assert "You are not in any workshop yet" in page and "Browse the datasets" in page


def test_the_favicon_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.headers["Location"]).mimetype == "image/svg+xml"

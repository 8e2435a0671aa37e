"""Workshops: create, edit, status moves, exercises, members, participants and the CLI."""

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.extensions import db
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_workshop


def token(client: FlaskClient, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def workshop_by_slug(slug: str) -> Workshop:
    db.session.expire_all()
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    assert workshop is not None
    return workshop


def test_a_facilitator_creates_a_workshop_with_the_template_exercises(
    client: FlaskClient, users: dict[str, User]
) -> None:
    log_in(client, users["facilitator"].email)
    response = client.post(
        "/workshops/new",
        data={
            "csrf_token": token(client, "/workshops/new"),
            "title": "Data about the sector 2022",
            "date": "2022-10-05",
            "host_network": "Lewisham CVS network",
            "place": "Town hall",
            "with_templates": "y",
        },
    )
    assert response.status_code == 302
    workshop = workshop_by_slug("data-about-the-sector-2022")
    assert [e.kind for e in workshop.exercises] == [
        "need",
        "source",
        "challenge",
        "collected",
        "idea",
    ]
    assert workshop.status == "draft" and workshop.place == "Town hall"
    assert [m.role for m in workshop.memberships] == ["facilitator"]


def test_members_and_leads_cannot_create_workshops(
    client: FlaskClient, users: dict[str, User]
) -> None:
    log_in(client, users["lead"].email)
    assert client.get("/workshops/new").status_code == 403


def test_status_moves_draft_live_closed_and_refuses_skips(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Moves", users["facilitator"])
    db.session.commit()
    log_in(client, users["facilitator"].email)
    manage = f"/workshops/{workshop.slug}/manage"

    def move(status: str) -> str:
        client.post(
            f"/workshops/{workshop.slug}/status",
            data={"status-csrf_token": token(client, manage), "status-status": status},
        )
        return workshop_by_slug(workshop.slug).status

    assert move("closed") == "draft"
    assert move("live") == "live"
    assert move("closed") == "closed"
    assert move("live") == "live"


def test_a_stale_details_form_is_refused(client: FlaskClient, users: dict[str, User]) -> None:
    workshop = make_workshop(db.session, "Stale", users["facilitator"])
    db.session.commit()
    log_in(client, users["facilitator"].email)
    manage = f"/workshops/{workshop.slug}/manage"
    form = {"csrf_token": token(client, manage), "title": "First save", "version": "1"}
    client.post(manage, data=form)
    response = client.post(manage, data={**form, "title": "Late save"})
    assert "Someone else changed this workshop" in response.get_data(as_text=True)
    assert workshop_by_slug(workshop.slug).title == "First save"


def test_custom_exercise_members_and_participants(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "People", users["facilitator"])
    db.session.commit()
    log_in(client, users["facilitator"].email)
    manage = f"/workshops/{workshop.slug}/manage"
    csrf = token(client, manage)
    client.post(
        f"/workshops/{workshop.slug}/exercises",
        data={
            "exercise-csrf_token": csrf,
            "exercise-title": "Next steps",
            "exercise-prompt": "What next?",
            "exercise-kind": "next-step",
        },
    )
    client.post(
        f"/workshops/{workshop.slug}/members",
        data={
            "member-csrf_token": csrf,
            "member-email": users["member"].email,
            "member-role": "member",
        },
    )
    client.post(
        f"/workshops/{workshop.slug}/participants",
        data={
            "participant-csrf_token": csrf,
            "participant-name": "Amina",
            "participant-organisation": "Brent CVS",
            "participant-organisation_type": "cvs",
            "participant-borough": "E09000005",
            "participant-org_id": "GB-CHC-1234567",
        },
    )
    fresh = workshop_by_slug(workshop.slug)
    assert fresh.exercises[-1].kind == "next-step"
    assert {m.user.email for m in fresh.memberships} >= {users["member"].email}
    participant = fresh.participants[0]
    assert participant.organisation is not None
    assert (
        participant.organisation.type,
        participant.organisation.org_id,
        participant.borough_code,
    ) == ("cvs", "GB-CHC-1234567", "E09000005")


def test_only_facilitator_accounts_can_facilitate(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Roles", users["facilitator"])
    db.session.commit()
    log_in(client, users["facilitator"].email)
    manage = f"/workshops/{workshop.slug}/manage"
    response = client.post(
        f"/workshops/{workshop.slug}/members",
        follow_redirects=True,
        data={
            "member-csrf_token": token(client, manage),
            "member-email": users["member"].email,
            "member-role": "facilitator",
        },
    )
    assert "has no facilitator account" in response.get_data(as_text=True)


def test_workshops_cli_creates_and_lists(runner: FlaskCliRunner) -> None:
    created = runner.invoke(
        args=["workshops", "create", "--title", "Grassroots data", "--date", "2022-03-01"]
    )
    assert created.exit_code == 0 and created.output.strip() == "grassroots-data"
    again = runner.invoke(args=["workshops", "create", "--title", "Grassroots data"])
    assert again.output.strip() == "grassroots-data-2"
    listed = runner.invoke(args=["workshops", "list"]).output
    assert "grassroots-data\t2022-03-01\tdraft\tGrassroots data" in listed


def test_workshops_cli_refuses_a_taken_or_bad_slug(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["workshops", "create", "--title", "A", "--slug", "taken"])
    taken = runner.invoke(args=["workshops", "create", "--title", "B", "--slug", "taken"])
    assert taken.exit_code == 1 and "already exists" in taken.output
    bad = runner.invoke(args=["workshops", "create", "--title", "B", "--slug", "Not OK"])
    assert bad.exit_code == 1 and "not a valid slug" in bad.output

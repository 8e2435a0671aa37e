"""Round-up pages: who sees drafts, publishing, the public link, versions, conflicts, comments,
endorsements and downloads."""

import re

from flask import Flask, g
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.roundups.models import Comment, Endorsement, RoundUp
from insights.roundups.services import generate, publish
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_workshop


def setup_workshop(users: dict[str, User]) -> tuple[Workshop, RoundUp, NextStep]:
    """A workshop every account belongs to, with a next step and a draft round-up."""
    workshop = make_workshop(db.session, "Views", *users.values())
    step = NextStep(workshop_id=workshop.id, title="Map the data that exists", effort="S")
    db.session.add(step)
    db.session.flush()
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    return workshop, roundup, step


def page_url(workshop: Workshop, roundup: RoundUp, tail: str = "") -> str:
    """The URL of a round-up page, or of one of its actions."""
    return f"/workshops/{workshop.slug}/roundup/{roundup.id}{tail}"


def post(client: FlaskClient, url: str, data: dict[str, str] | None = None, page: str = "/"):  # type: ignore[no-untyped-def]
    """POST with the CSRF token of a page the client can open."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def test_a_draft_is_not_visible_to_members(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["member"].email)
    assert client.get(page_url(workshop, roundup)).status_code == 404
    assert client.get(page_url(workshop, roundup, "/download/md")).status_code == 404
    newest = client.get(f"/workshops/{workshop.slug}/roundup").get_data(as_text=True)
    assert "have not published a round-up" in newest
    assert "Version 1" not in client.get(f"/workshops/{workshop.slug}/roundup/versions").get_data(
        as_text=True
    )


def test_a_facilitator_publishes_and_members_then_read(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    draft_page = client.get(page_url(workshop, roundup)).get_data(as_text=True)
    assert "Draft: only the workshop's facilitators" in draft_page
    response = post(
        client,
        page_url(workshop, roundup, "/publish"),
        {"visibility": "members", "version": str(roundup.version)},
    )
    assert response.status_code == 302
    db.session.refresh(roundup)
    assert roundup.status == "published" and roundup.public_token is None
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(draft_page)})
    log_in(client, users["member"].email)
    page = client.get(f"/workshops/{workshop.slug}/roundup").get_data(as_text=True)
    assert "Map the data that exists" in page and "Publish version" not in page


def test_members_in_other_workshops_cannot_read_it(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    from tests.factories import make_user

    outsider = make_user(db.session, "member", "outsider@example.test")
    db.session.commit()
    log_in(client, outsider.email)
    assert client.get(page_url(workshop, roundup)).status_code == 404
    assert client.get(page_url(workshop, roundup, "/download/docx")).status_code == 404


def test_the_public_link_reaches_only_its_round_up(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, step = setup_workshop(users)
    publish(roundup, roundup.version, "public")
    other = make_workshop(db.session, "Other", users["facilitator"])
    hidden = generate(db.session, other, users["facilitator"])
    db.session.commit()
    token = roundup.public_token
    response = client.get(f"/r/{token}")
    assert response.status_code == 200 and response.headers["X-Robots-Tag"].startswith("noindex")
    page = response.get_data(as_text=True)
    assert roundup.title in page and "Map the data that exists" in page
    assert "<form" not in page.split("<main", 1)[1]  # read-only: no comment or endorse forms
    assert "/workshops/" not in page.split("<main", 1)[1]  # no way into the app from here
    assert client.get(f"/r/{token}/download/pdf").status_code == 200
    assert client.get(f"/r/{token}/download/xlsx").status_code == 404  # not the post-its
    assert client.get(f"/r/{token}x").status_code == 404
    assert client.get(f"/workshops/{workshop.slug}/roundup").status_code == 302  # log in first
    assert client.get(page_url(other, hidden)).status_code == 302
    assert client.get(f"/r/{hidden.public_token}").status_code == 404


def test_closing_the_public_link_stops_it(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "public")
    db.session.commit()
    token = roundup.public_token
    log_in(client, users["facilitator"].email)
    post(client, page_url(workshop, roundup, "/share"), {"visibility": "members"})
    assert client.get(f"/r/{token}").status_code == 404


def test_editing_a_published_round_up_makes_a_version_and_history_keeps_both(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    form = client.get(page_url(workshop, roundup, "/edit")).get_data(as_text=True)
    assert "saving makes version 2" in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    response = post(
        client,
        page_url(workshop, roundup, "/edit"),
        {"title": "Second go", "narrative": "## New\n\nWords", "version": version},
    )
    assert response.status_code == 302
    history = client.get(f"/workshops/{workshop.slug}/roundup/versions").get_data(as_text=True)
    assert "Version 2" in history and "Version 1" in history
    old = client.get(page_url(workshop, roundup)).get_data(as_text=True)
    assert "This is an earlier version." in old and "Second go" not in old


def test_a_stale_edit_shows_both_versions(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    opened = str(roundup.version)
    first = post(
        client,
        page_url(workshop, roundup, "/edit"),
        {"title": "Theirs", "narrative": "Their words", "version": opened},
    )
    assert first.status_code == 302
    second = post(
        client,
        page_url(workshop, roundup, "/edit"),
        {"title": "Mine", "narrative": "My words", "version": opened},
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed the round-up" in page
    assert "Their words" in page and "My words" in page
    db.session.refresh(roundup)
    assert roundup.narrative_md == "Their words"


def test_members_comment_and_endorse_next_steps(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, step = setup_workshop(users)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    log_in(client, users["member"].email)
    url = page_url(workshop, roundup)
    post(client, page_url(workshop, roundup, "/comments"), {"roundup-body": "Good summary"}, url)
    post(
        client,
        page_url(workshop, roundup, f"/steps/{step.id}/comments"),
        {f"step{step.id}-body": "Hackney can start"},
        url,
    )
    post(client, page_url(workshop, roundup, f"/steps/{step.id}/endorse"), page=url)
    page = client.get(url).get_data(as_text=True)
    assert "Good summary" in page and "Hackney can start" in page
    assert "1 endorsement" in page and "Endorsed ✓" in page
    targets = {(c.target_type, c.target_id) for c in db.session.query(Comment)}
    assert targets == {("roundup", roundup.id), ("next-step", step.id)}
    assert db.session.query(Endorsement).count() == 1
    post(client, page_url(workshop, roundup, f"/steps/{step.id}/endorse"), page=url)
    assert db.session.query(Endorsement).count() == 0


def test_comments_are_refused_on_drafts(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    response = post(client, page_url(workshop, roundup, "/comments"), {"roundup-body": "Too soon"})
    assert response.status_code == 404


def test_comment_text_is_shown_as_text(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    log_in(client, users["member"].email)
    url = page_url(workshop, roundup)
    post(
        client,
        page_url(workshop, roundup, "/comments"),
        {"roundup-body": "<script>x()</script>"},
        url,
    )
    page = client.get(url).get_data(as_text=True)
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page


def test_the_narrative_is_sanitised_on_the_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    roundup.narrative_md = (
        'Hi <img src=x onerror="alert(1)"> [x](javascript:alert(2)) <script>bad()</script>'
    )
    db.session.commit()
    log_in(client, users["facilitator"].email)
    page = client.get(page_url(workshop, roundup)).get_data(as_text=True)
    assert "onerror" not in page and "bad()" not in page and 'href="javascript' not in page


def test_downloads_are_attachments_named_for_the_version(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    response = client.get(page_url(workshop, roundup, "/download/needs-csv"))
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{workshop.slug}-v1-needs.csv"'
    assert client.get(page_url(workshop, roundup, "/download/exe")).status_code == 404


def test_the_page_links_the_print_stylesheet(client: FlaskClient, users: dict[str, User]) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    page = client.get(page_url(workshop, roundup)).get_data(as_text=True)
    assert "roundups/print.css" in page
    css = client.get("/static/roundups/print.css").get_data(as_text=True)
    assert "@page { size: A4" in css and "@media print" in css


def test_hidden_sections_leave_the_page_and_the_downloads(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop, roundup, _ = setup_workshop(users)
    log_in(client, users["facilitator"].email)
    token = csrf_token_from(client.get(page_url(workshop, roundup, "/edit")).get_data(as_text=True))
    data = {"csrf_token": token, "title": "Short", "narrative": "", "version": str(roundup.version)}
    client.post(page_url(workshop, roundup, "/edit"), data={**data, "hidden": ["ideas", "gaps"]})
    page = client.get(page_url(workshop, roundup)).get_data(as_text=True)
    assert "Ideas and opportunities" not in page and "Gaps and pooling" not in page
    assert "Prioritised next steps" in page
    markdown = client.get(page_url(workshop, roundup, "/download/md")).get_data(as_text=True)
    assert "## Ideas" not in markdown and "## Prioritised next steps" in markdown


def test_a_new_draft_asks_for_a_story_and_readers_never_see_a_placeholder(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "No story", users["facilitator"], users["member"])
    roundup = generate(db.session, workshop, None)
    db.session.commit()
    log_in(client, users["facilitator"].email)
    draft = client.get(f"/workshops/{workshop.slug}/roundup/{roundup.id}").get_data(as_text=True)
    assert "No story yet" in draft
    edit = client.get(f"/workshops/{workshop.slug}/roundup/{roundup.id}/edit")
    assert 'placeholder="## What we heard' in edit.get_data(as_text=True)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    g.pop("_login_user", None)  # the test's app context caches the last signed-in user
    g.pop("csrf_token", None)
    reader = app.test_client()
    log_in(reader, users["member"].email)
    page = reader.get(f"/workshops/{workshop.slug}/roundup/{roundup.id}").get_data(as_text=True)
    assert "Who took part" in page
    assert "No story yet" not in page and "What stood out" not in page

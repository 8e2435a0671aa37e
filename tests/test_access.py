"""Every registered route refuses visitors who are not logged in and roles that may not use it."""

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from insights.access import allowed_roles
from insights.auth.models import ROLES, User
from insights.datasets.models import Dataset, HarvestSource
from insights.extensions import db
from insights.jobs import enqueue
from insights.nextsteps.models import NextStep
from insights.pooling.models import PoolRelease
from insights.requests.services import draft_request
from insights.roundups.services import generate, publish
from insights.standards.services import draft_from_workshop
from insights.standards.services import publish as publish_standard
from insights.submissions.services import Slot, start
from insights.themes.models import Theme
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


@pytest.fixture
def route_values(app: Flask, users: dict[str, User]) -> dict[str, object]:
    """A real value for every URL argument, in a workshop every test account belongs to."""
    workshop = make_workshop(
        db.session,
        "Route walk",
        *users.values(),
        status="live",
        participant_token="route-walk-token",
        participant_link_enabled=True,
    )
    statement = make_statement(db.session, workshop, "We need borough-level volunteering data")
    dataset = Dataset(title="Volunteering by borough", keywords=[], extra={})
    db.session.add(dataset)
    harvest_source = HarvestSource(url="http://127.0.0.1:9", kind="ckan", last_report={})
    db.session.add(harvest_source)
    step = NextStep(workshop_id=workshop.id, title="Pool volunteering data")
    db.session.add(step)
    vote = open_round(db.session, workshop, title="Which first?", next_steps=[step])
    job = enqueue(db.session, "retag", {}, title="Re-tag", workshop_id=workshop.id, dispatch=False)
    roundup = generate(db.session, workshop, None)
    publish(roundup, roundup.version, "public")
    standard_values = data_standard_values(workshop)
    data_request = draft_request(db.session, workshop, [statement], None)
    db.session.commit()
    return {
        "slug": workshop.slug,
        "statement_id": statement.id,
        "exercise_id": workshop.exercises[0].id,
        "token": "route-walk-token",
        "code": "route-wa",
        "filename": "style.css",
        "dataset_id": dataset.id,
        "source_id": harvest_source.id,
        "next_step_id": step.id,
        "roundup_id": roundup.id,
        "public_token": roundup.public_token,
        "fmt": "md",
        "round_id": vote.id,
        "job_id": job.id,
        "request_id": data_request.id,
        "theme_id": db.session.scalar(sa.select(Theme.id).order_by(Theme.id.desc()).limit(1)),
        **standard_values,
    }


def data_standard_values(workshop: Workshop) -> dict[str, object]:
    """A published standard with a submission, a pending upload and an open-data release."""
    standard = draft_from_workshop(db.session, workshop, None)
    version = standard.versions[0]
    publish_standard(db.session, version, version.version, None)
    slot = Slot(version, "E09000012", 2024)
    data = ("\n".join([",".join(f.name for f in version.fields)] * 1)).encode()
    pending = start(db.session, slot, "Route walk CVS", None, (data, "empty.csv"))
    release = PoolRelease(standard_id=standard.id, rows=[], table_schema={})
    db.session.add(release)
    db.session.flush()
    return {
        "standard_id": standard.id,
        "number": version.number,
        "field_id": version.fields[0].id,
        "output": "schema.json",
        "submission_id": pending.id,
        "release_id": release.id,
    }


def walkable_rules(app: Flask) -> list[Rule]:
    """Every rule except static files."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def url_for_rule(rule: Rule, values: dict[str, object]) -> str:
    """Build the rule's URL, failing loudly when a new argument needs a test value."""
    missing = set(rule.arguments) - set(values)
    assert not missing, f"route_values needs a value for {missing} ({rule.rule})"
    return rule.build({name: values[name] for name in rule.arguments})[1]  # type: ignore[index]


def methods_of(rule: Rule) -> list[str]:
    """The methods a person can send: GET and POST (HEAD and OPTIONS follow from them)."""
    return sorted(m for m in (rule.methods or set()) if m in ("GET", "POST"))


def send(client: FlaskClient, method: str, url: str, token: str | None = None):  # type: ignore[no-untyped-def]
    """A request as a browser would send it, with the CSRF token when one is given."""
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token} if token else {})


def test_every_view_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        rule.rule
        for rule in walkable_rules(app)
        if allowed_roles(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_visitors_who_are_not_logged_in_are_sent_to_log_in(
    app: Flask, client: FlaskClient, route_values: dict[str, object]
) -> None:
    for rule in walkable_rules(app):
        if allowed_roles(app.view_functions[rule.endpoint]) == "public":
            continue
        for method in methods_of(rule):
            url = url_for_rule(rule, route_values)
            response = send(client, method, url)
            if method == "POST" and response.status_code == 400:
                continue  # refused before the login check: no CSRF token
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/auth/login" in response.headers["Location"], (method, url)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_routes_it_may_use(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    route_values: dict[str, object],
    role: str,
) -> None:
    log_in(client, users[role].email)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for rule in walkable_rules(app):
        roles = allowed_roles(app.view_functions[rule.endpoint])
        may = roles == "public" or role == "admin" or role in (roles or ())
        for method in methods_of(rule):
            if rule.endpoint == "auth.logout":
                continue  # logging out mid-walk would end the walk; tested on its own
            url = url_for_rule(rule, route_values)
            status = send(client, method, url, token).status_code
            if may:
                assert status not in (401, 403) and status < 500, (role, method, url, status)
            else:
                assert status == 403, (role, method, url, status)


def test_a_post_without_csrf_token_is_refused(
    app: Flask, client: FlaskClient, users: dict[str, User], route_values: dict[str, object]
) -> None:
    log_in(client, users["admin"].email)
    for rule in walkable_rules(app):
        if "POST" in methods_of(rule):
            response = client.post(url_for_rule(rule, route_values), data={})
            assert response.status_code == 400, rule.rule
            assert "form had expired" in response.get_data(as_text=True)


def test_undeclared_views_are_refused(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/forgot-to-declare", "forgot", lambda: "secret")
    response = client.get("/forgot-to-declare")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)

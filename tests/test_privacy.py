"""A workshop is private to its facilitators and invited members: people of another network
get nothing from any route that reaches into it."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.access import allowed_roles
from insights.auth.models import User
from insights.extensions import db
from tests.factories import csrf_token_from, log_in, make_user, make_workshop
from tests.test_access import (  # noqa: F401  (route_values is a fixture)
    methods_of,
    route_values,
    url_for_rule,
    walkable_rules,
)

# Arguments naming things shared by every network (the catalogue and the portals it is
# harvested from, the taxonomy, static files).
SHARED_ARGUMENTS = {"dataset_id", "theme_id", "filename", "evaluation_id", "source_id"}


@pytest.fixture
def outsiders(app: Flask) -> dict[str, User]:
    """A facilitator, lead and member of another network, with a workshop of their own."""
    people = {role: make_user(db.session, role) for role in ("facilitator", "lead", "member")}
    make_workshop(db.session, "Another network's workshop", *people.values())
    db.session.commit()
    return people


def private_rules(app: Flask) -> list:  # type: ignore[type-arg]
    """Routes that reach into one workshop: any non-public route with a workshop-scoped argument."""
    return [
        rule
        for rule in walkable_rules(app)
        if allowed_roles(app.view_functions[rule.endpoint]) != "public"
        and set(rule.arguments) - SHARED_ARGUMENTS
    ]


@pytest.mark.parametrize("role", ["facilitator", "lead", "member"])
def test_people_of_another_network_get_nothing_from_a_private_workshop(
    app: Flask,
    client: FlaskClient,
    route_values: dict[str, object],  # noqa: F811  (the fixture imported above)
    outsiders: dict[str, User],
    role: str,
) -> None:
    log_in(client, outsiders[role].email)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    leaks = []
    for rule in private_rules(app):
        url = url_for_rule(rule, route_values)
        for method in methods_of(rule):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            if response.status_code not in (403, 404):
                leaks.append((method, url, response.status_code))
    assert leaks == []
    assert "Route walk" not in client.get("/workshops/").get_data(as_text=True)

"""A property-based walk over every route: huge, negative and non-ASCII ids in paths, query
strings and forms, and random form values, sent by an admin (who may open everything) with a
valid CSRF token. No input may cause a server error.

Findings replayed: 20-digit ids on every <int:> route and in many id fields overflowed
SQLite (122 server errors from six causes)."""

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from insights.auth.models import User
from tests.factories import csrf_token_from, log_in
from tests.test_access import (  # noqa: F401  (route_values is a fixture)
    methods_of,
    route_values,
    walkable_rules,
)

HUGE_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**31, 2**31 - 1, 2**63, 2**64, 10**19, 10**20, 10**400]),
)
ID_TEXT = st.one_of(
    HUGE_NUMBERS.map(str),
    st.sampled_from(["١٢٣", "²", "1e9", "0x1F", " 7 ", "7.5", "", "null", "[]", "１２"]),
    st.text(max_size=40),
)
FIELDS = [
    *("text", "version", "item_id", "dots_per_member", "next_steps", "needs", "owner"),
    *("theme_id", "into_id", "bulk_theme", "selected", "keep", "dataset_id", "action", "title"),
    *("status", "impact", "effort", "borough", "exercise_id", "email", "role", "visibility"),
    *("parent_id", "next", "next_url", "device", "kind", "organisation", "datasets"),
    *("statements", "themes", "holder_organisation_id", "granularity", "access", "page", "q"),
    *("workshop", "person", "format", "by", "after", "exercise", "columns-0", "votes"),
    *("participant-borough", "participant-name", "exercise-title", "exercise-prompt"),
    *("member-email", "member-role", "status-status", "anonymous", "author_name", "prompt"),
]
QUERY = st.dictionaries(st.sampled_from(FIELDS), ID_TEXT, max_size=4)
FORM = st.dictionaries(
    st.sampled_from(FIELDS), st.lists(ID_TEXT, min_size=1, max_size=3), max_size=8
)
# Routes that end the walker's session or change its own password are walked elsewhere.
SKIPPED = {"auth.logout", "auth.password"}
WALK = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def path_for(rule: Rule, values: dict[str, object], chosen: dict[str, Any]) -> str:
    """The rule's path, with a hostile value in place of each argument the walk chose."""
    parts = {name: chosen.get(name, values[name]) for name in rule.arguments}
    path = rule.rule
    for name, value in parts.items():
        path = path.replace(f"<int:{name}>", quote(str(value), safe=""))
        path = path.replace(f"<{name}>", quote(str(value), safe=""))
        path = path.replace(f"<path:{name}>", quote(str(value), safe=""))
    return path


@pytest.fixture
def walker(app: Flask, client: FlaskClient, users: dict[str, User]) -> FlaskClient:
    """The admin, signed in, with room to post as fast as the walk does."""
    app.config.update(PARTICIPANT_POST_LIMIT="100000 per minute", LOGIN_POST_LIMIT="1000/minute")
    log_in(client, users["admin"].email)
    return client


@WALK
@given(data=st.data())
def test_no_route_fails_on_hostile_ids_or_random_form_values(
    app: Flask,
    walker: FlaskClient,
    users: dict[str, User],
    route_values: dict[str, object],  # noqa: F811
    data: st.DataObject,
) -> None:
    rules = [r for r in walkable_rules(app) if r.endpoint not in SKIPPED]
    rule = data.draw(st.sampled_from(sorted(rules, key=lambda r: r.rule)), label="route")
    chosen = {
        name: data.draw(HUGE_NUMBERS if f"<int:{name}>" in rule.rule else ID_TEXT, label=name)
        for name in rule.arguments
        if data.draw(st.booleans(), label=f"hostile {name}")
    }
    url = path_for(rule, route_values, chosen)
    query = data.draw(QUERY, label="query")
    method = data.draw(st.sampled_from(methods_of(rule)), label="method")
    if walker.get("/").status_code != 200:
        log_in(walker, users["admin"].email)
    if method == "GET":
        response = walker.get(url, query_string=query)
    else:
        form = data.draw(FORM, label="form")
        token = csrf_token_from(walker.get("/").get_data(as_text=True))
        response = walker.post(url, query_string=query, data={**form, "csrf_token": token})
    assert response.status_code < 500, (method, url, query, response.status_code)
    assert "Content-Security-Policy" in response.headers

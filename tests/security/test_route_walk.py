"""A property-based walk over every route: huge, negative and non-ASCII ids in paths, query
strings and forms, and random form values, sent by an admin (who may open everything) with a
valid CSRF token. No input may cause a server error.

The pages added late (standards, submissions, pooling, data requests, carry forward,
pairwise, projector, compare, harvest, jobs) are walked again on their own, with the forms
those pages draw filled as offered and some fields made hostile, so the walk gets past form
validation (undo the fix of a 20-digit gap id in a new data request, and it finds the 500).

Findings replayed: 20-digit ids on every <int:> route and in many id fields overflowed
SQLite (122 server errors from six causes)."""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

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
    # the forms of the pages added late: standards, submissions, pooling, data requests,
    # carry forward, pairwise, projector, compare, harvest and jobs
    *("name", "type", "minimum", "allowed_values", "pattern", "required", "identifying"),
    *("question", "definition", "unit", "guidance", "body", "year", "shape", "choice"),
    *("column_0", "column_1", "threshold", "dataset", "dataset_q", "answered_on", "sent_on"),
    *("addressee", "contact", "subject", "coverage", "answer", "target", "mode", "new_title"),
    *("new_date", "winner", "loser", "boroughs", "items", "theme", "since", "workshops"),
    *("dimension", "url", "every_hours", "field", "standard", "number", "compare"),
]
# Routes of the pages added late, walked on their own as well so each gets many examples.
NEWER = (
    *("standards.", "submissions.", "pooling.", "requests.", "carry.", "notices."),
    *("pairwise.", "participant_pairwise.", "projector.", "compare.", "jobs."),
    *("datasets.harvest", "nextsteps.carry", "nextsteps.from_pooling"),
)
QUERY = st.dictionaries(st.sampled_from(FIELDS), ID_TEXT, max_size=4)
FORM_VALUES = st.lists(ID_TEXT, min_size=1, max_size=3)
FORM = st.dictionaries(st.sampled_from(FIELDS), FORM_VALUES, max_size=8)
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
    walk_one(walker, users, route_values, data, rules)


class FormReader(HTMLParser):
    """The POST forms of a page: for each action, each field's name and the values the page
    offers (a select's options, a checkbox's value, a hidden field's value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.page = "/"
        self.current: dict[str, list[str]] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and found.get("method", "").lower() == "post":
            action = urlsplit(urljoin(self.page, found.get("action", ""))).path
            self.current = self.forms.setdefault(action, {})
        elif self.current is not None and tag in ("input", "textarea", "select"):
            name = found.get("name", "")
            if name and name != "csrf_token":
                self.current.setdefault(name, [])
                if tag == "input" and found.get("value"):
                    self.current[name].append(found["value"])
                self.select = name if tag == "select" else None
        elif self.current is not None and tag == "option" and self.select:
            self.current[self.select].append(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


@pytest.fixture
def page_forms(
    app: Flask,
    walker: FlaskClient,
    route_values: dict[str, object],  # noqa: F811
) -> dict[str, dict[str, list[str]]]:
    """Every POST form drawn on the newer pages, by the path it posts to."""
    reader = FormReader()
    for rule in walkable_rules(app):
        if rule.endpoint.startswith(NEWER) and "GET" in methods_of(rule):
            reader.page = path_for(rule, route_values, {})
            reader.feed(walker.get(reader.page).get_data(as_text=True))
    return reader.forms


@settings(WALK, max_examples=400)
@given(data=st.data())
def test_no_newer_route_fails_on_hostile_ids_or_random_form_values(
    app: Flask,
    walker: FlaskClient,
    users: dict[str, User],
    route_values: dict[str, object],  # noqa: F811
    page_forms: dict[str, dict[str, list[str]]],
    data: st.DataObject,
) -> None:
    """The pages' own forms, filled as the page offers them, then a few fields made hostile,
    so the walk gets past form validation into the services."""
    rules = [r for r in walkable_rules(app) if r.endpoint.startswith(NEWER)]
    assert len(rules) > 40, "the newer pages' routes moved: update NEWER"
    assert len(page_forms) > 10, "the walk found too few of the pages' forms"
    walk_one(walker, users, route_values, data, rules, page_forms)


def walk_one(
    walker: FlaskClient,
    users: dict[str, User],
    values: dict[str, object],
    data: st.DataObject,
    rules: list[Rule],
    forms: dict[str, dict[str, list[str]]] | None = None,
) -> None:
    """One request to one of the rules, with hostile ids and random values where drawn; a
    form the page draws for the rule is sent as the page offers it, some fields made hostile."""
    rule = data.draw(st.sampled_from(sorted(rules, key=lambda r: r.rule)), label="route")
    chosen = {
        name: data.draw(HUGE_NUMBERS if f"<int:{name}>" in rule.rule else ID_TEXT, label=name)
        for name in rule.arguments
        if data.draw(st.booleans(), label=f"hostile {name}")
    }
    url = path_for(rule, values, chosen)
    query = data.draw(QUERY, label="query")
    method = data.draw(st.sampled_from(methods_of(rule)), label="method")
    if walker.get("/").status_code != 200:
        log_in(walker, users["admin"].email)
    if method == "GET":
        response = walker.get(url, query_string=query)
    else:
        form = data.draw(FORM, label="form")
        offered = (forms or {}).get(path_for(rule, values, {}))
        if offered:
            hostile = data.draw(st.sets(st.sampled_from(sorted(offered))), label="hostile fields")
            filled = {
                name: [data.draw(st.sampled_from(choices), label=name) if choices else "walk1"]
                for name, choices in sorted(offered.items())
            }
            form = {
                **form,
                **filled,
                **{name: data.draw(FORM_VALUES, label=name) for name in sorted(hostile)},
            }
        token = csrf_token_from(walker.get("/").get_data(as_text=True))
        response = walker.post(url, query_string=query, data={**form, "csrf_token": token})
    assert response.status_code < 500, (method, url, query, response.status_code)
    assert "Content-Security-Policy" in response.headers

"""Past one machine: two app servers (`insights serve`, gunicorn) on two loopback ports, each
with its own `insights worker`, on one PostgreSQL and one Redis, as the README's shared
deployment describes. 1,000 participant posts spread over both are all stored once and none
is refused; a sign-in made through one works on the other; one phone's limit counts its posts
on both; the live board of each shows the posts of the other; re-tags queued from both (and
delivered twice) each run exactly once."""

import html
import os
import re
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, OpenerDirector, build_opener

import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.jobs import Job
from insights.jobs.queue import queue_of
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import PASSWORD, make_statement, make_workshop
from tests.jobs.processes import process_env, queueing_app, start, stop, wait_until

DEVICES, POSTS_EACH = 50, 20  # 1,000 posts, each phone under its 30-a-minute limit
REDIS_URL = os.environ.get("INSIGHTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


SHARED_DATABASE = os.environ.get("INSIGHTS_TEST_DATABASE_URL", "")

# Two app servers need one database both can reach: the suite's PostgreSQL run has it, and
# .ci/run runs the suite on PostgreSQL as well as SQLite, so this runs in every CI.
pytestmark = pytest.mark.skipif(
    not SHARED_DATABASE.startswith("postgresql"),
    reason="two servers share one PostgreSQL: runs when INSIGHTS_TEST_DATABASE_URL names one",
)


def needs_postgresql_and_redis() -> str:
    """The shared database's URL, after checking that Redis answers (CI starts it)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise AssertionError(
            f"two servers share one Redis: none answers at INSIGHTS_TEST_REDIS_URL ({REDIS_URL})"
        ) from error
    return SHARED_DATABASE


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirects(HTTPRedirectHandler):
    """Report redirects (a stored post is a 302) instead of following them."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def browser() -> OpenerDirector:
    """A client with its own cookies, like one phone or one laptop."""
    return build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects())


def fetch(
    client: OpenerDirector, url: str, data: dict[str, object] | None = None
) -> tuple[int, str]:
    """GET (or POST the form data); the status and the body."""
    body = urlencode(data).encode() if data is not None else None
    try:
        with client.open(url, body, timeout=60) as response:
            return response.status, response.read().decode()
    except HTTPError as error:  # 3xx (not followed), 4xx and 5xx
        return error.code, error.read().decode(errors="replace")


def csrf_of(page: str) -> str:
    """The CSRF token of a page's form."""
    match = CSRF.search(page)
    assert match, page[:300]
    return html.unescape(match.group(1))


@pytest.fixture
def deployment(app: Flask, tmp_path: Path) -> Iterator[dict[str, object]]:
    """Two servers and two workers on the test PostgreSQL and Redis, under a fresh prefix."""
    database_url = needs_postgresql_and_redis()
    prefix = f"insights-test-{uuid.uuid4().hex[:12]}"
    env = process_env(
        database_url,
        tmp_path / "instance",
        REDIS_URL=REDIS_URL,
        JOBS_QUEUE_NAME=prefix,
        RATELIMIT_KEY_PREFIX=prefix,
        PARTICIPANT_POST_LIMIT="30 per minute",
    )
    ports = [free_port(), free_port()]
    processes = []
    for number, port in enumerate(ports):
        serve = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "8"]
        processes.append(
            start([*serve, "--insecure-cookies"], env, tmp_path / f"server-{number}.log")
        )
        processes.append(
            start(["worker", "--threads", "2"], env, tmp_path / f"worker-{number}.log")
        )
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            wait_until(lambda b=base: answers(b), 150, f"{base} to serve", interval=0.5)
        yield {"bases": bases, "env": env, "prefix": prefix, "database_url": database_url}
    finally:
        stop(*processes)
        clean_redis(prefix)


def answers(base: str) -> bool:
    """Whether the server serves its login page."""
    try:
        return fetch(browser(), f"{base}/auth/login")[0] == 200
    except OSError:
        return False


def clean_redis(prefix: str) -> None:
    """Delete this test's keys (and only them) from the shared Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def participant(
    bases: list[str], token: str, exercise_id: int, device: int, posts: int
) -> list[int]:
    """One phone: open the link on one server, then post, alternating between the servers."""
    phone = browser()
    status, page = fetch(phone, f"{bases[device % 2]}/p/{token}")
    assert status == 200, page[:300]
    csrf = csrf_of(page)
    statuses = []
    for number in range(posts):
        base = bases[(device + number) % 2]
        form = {"csrf_token": csrf, "exercise_id": exercise_id, "anonymous": "y"}
        form["text"] = f"Phone {device} post {number}: we need ward-level volunteering data"
        statuses.append(fetch(phone, f"{base}/p/{token}", form)[0])
    return statuses


def log_in(bases: list[str], user: User) -> OpenerDirector:
    """A facilitator's laptop, signed in through the first server."""
    laptop = browser()
    _, page = fetch(laptop, f"{bases[0]}/auth/login")
    form = {"csrf_token": csrf_of(page), "email": user.email, "password": PASSWORD}
    assert fetch(laptop, f"{bases[0]}/auth/login", form)[0] == 302
    return laptop


def test_two_servers_share_posts_sessions_limits_and_jobs(
    deployment: dict[str, object], users: dict[str, User]
) -> None:
    bases: list[str] = deployment["bases"]  # type: ignore[assignment]
    facilitator = users["facilitator"]
    room = make_workshop(db.session, "Shared room", facilitator, status="live")
    room.participant_token, room.participant_link_enabled = "shared-room-token", True
    others = [make_workshop(db.session, f"Earlier workshop {n}", facilitator) for n in range(4)]
    for number, workshop in enumerate(others):
        for line in range(30 + number):
            make_statement(db.session, workshop, f"Grants data for small groups, line {line}")
    db.session.commit()
    exercise_id = room.exercises[0].id

    with ThreadPoolExecutor(max_workers=8) as pool:
        runs = [
            pool.submit(participant, bases, room.participant_token, exercise_id, device, POSTS_EACH)
            for device in range(DEVICES)
        ]
        statuses = [status for run in runs for status in run.result()]
    assert statuses == [302] * DEVICES * POSTS_EACH  # stored, none refused

    texts = db.session.scalars(
        sa.select(Statement.text).where(Statement.workshop_id == room.id)
    ).all()
    assert len(texts) == DEVICES * POSTS_EACH and len(set(texts)) == len(texts)

    # One phone's limit counts its posts on both servers: 40 posts, 30 stored.
    flood = participant(bases, room.participant_token, exercise_id, DEVICES, 40)
    assert flood.count(302) == 30 and flood.count(429) == 10

    # Signed in through the first server, the facilitator is signed in on the second too,
    # and each server's live board lists the posts made through the other. A poll carries
    # the newest 200 cards: the flooding phone's last posts, which alternated servers (its
    # post 0 went through the first, post 1 through the second).
    laptop = log_in(bases, facilitator)
    for base in bases:
        status, changes = fetch(laptop, f"{base}/workshops/{room.slug}/board/changes?after=0")
        assert status == 200
        assert f"Phone {DEVICES} post 0:" in changes and f"Phone {DEVICES} post 1:" in changes

    job_ids = queue_retags_from_both(bases, laptop, others)
    resend_every_message(deployment, job_ids)
    wait_until(lambda: all_done(job_ids), 150, "the re-tags to finish", interval=0.5)
    db.session.expire_all()
    for job_id, workshop in zip(job_ids, others, strict=True):
        job = db.session.get(Job, job_id)
        assert job is not None and (job.status, job.attempts) == ("done", 1)
        assert job.done == job.total == statement_count(workshop)


def queue_retags_from_both(
    bases: list[str], laptop: OpenerDirector, workshops: list[Workshop]
) -> list[int]:
    """Press "Re-tag all" on each workshop's board, on alternate servers; the jobs' ids."""
    for number, workshop in enumerate(workshops):
        base = bases[number % 2]
        _, board = fetch(laptop, f"{base}/workshops/{workshop.slug}/board")
        status, _ = fetch(
            laptop, f"{base}/workshops/{workshop.slug}/themes/retag", {"csrf_token": csrf_of(board)}
        )
        assert status == 302
    db.session.expire_all()
    ids = [
        db.session.scalar(sa.select(Job.id).where(Job.workshop_id == workshop.id))
        for workshop in workshops
    ]
    assert all(ids)
    return ids  # type: ignore[return-value]


def resend_every_message(deployment: dict[str, object], job_ids: list[int]) -> None:
    """Deliver every job's message a second time, as a queue may: the claim keeps it to one run."""
    env: dict[str, str] = deployment["env"]  # type: ignore[assignment]
    queuer = queueing_app(
        str(deployment["database_url"]),
        Path(env["INSIGHTS_INSTANCE_PATH"]),
        redis_url=REDIS_URL,
        queue_name=str(deployment["prefix"]),
    )
    for job_id in job_ids:
        queue_of(queuer).dispatch(job_id)


def all_done(job_ids: list[int]) -> bool:
    """Whether every job has finished."""
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(Job.status).where(Job.id.in_(job_ids))).all()
    return len(statuses) == len(job_ids) and all(
        status in ("done", "failed") for status in statuses
    )


def statement_count(workshop: Workshop) -> int:
    """How many post-its the workshop has."""
    query = sa.select(sa.func.count(Statement.id)).where(Statement.workshop_id == workshop.id)
    return int(db.session.scalar(query) or 0)

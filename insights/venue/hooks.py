"""Venue mode inside the app: the staff log-in guard and the plain-http warning."""

from typing import Any

from flask import Flask, request

from insights.errors import render_error
from insights.venue.services import staff_login_allowed, staff_login_over_http_is_on

REFUSAL = (
    "Staff log-in over the venue's plain-http network is off, so passwords never cross it "
    "unencrypted. Log in on the laptop serving the app, or restart venue mode with "
    "--allow-http-staff-login."
)


def guard_staff_login() -> Any:
    """Refuse the log-in page to other machines on the venue network unless it is allowed."""
    if request.endpoint == "auth.login" and not staff_login_allowed():
        return render_error(403, REFUSAL)
    return None


def venue_context() -> dict[str, Any]:
    """Tell base.html to show the plain-http warning while staff log-in over http is on."""
    return {"http_staff_login_warning": staff_login_over_http_is_on()}


def register_venue(app: Flask) -> None:
    """Install the guard and the warning (they do nothing outside venue mode)."""
    app.before_request(guard_staff_login)
    app.context_processor(venue_context)

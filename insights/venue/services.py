"""Venue mode's rules: the address to share, who may log in over plain http, demo passwords."""

import io
import ipaddress
import socket

import segno
import sqlalchemy as sa
from flask import Flask, current_app, request

from insights.auth.models import User
from insights.demo.services import DEMO_PASSWORD
from insights.extensions import DbSession

# A documentation address (TEST-NET-1): connecting a UDP socket to it sends nothing, but makes
# the system choose the interface, and so the address, it would route through.
ROUTE_PROBE = ("192.0.2.1", 9)


def network_address() -> str:
    """This machine's address on the local network (127.0.0.1 when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(ROUTE_PROBE)
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def venue_url(address: str, port: int) -> str:
    """The base URL phones in the room open."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


def venue_settings(base_url: str, http_staff_login: bool) -> dict[str, str]:
    """The INSIGHTS_* settings the venue server runs with: plain-http cookies, shared links."""
    return {
        "INSIGHTS_VENUE_MODE": "true",
        "INSIGHTS_PUBLIC_URL": base_url,
        "INSIGHTS_SESSION_COOKIE_SECURE": "false",
        "INSIGHTS_REMEMBER_COOKIE_SECURE": "false",
        "INSIGHTS_VENUE_HTTP_STAFF_LOGIN": "true" if http_staff_login else "false",
    }


def accounts_with_demo_password(session: DbSession) -> list[User]:
    """Active accounts whose password is still the one published in the README."""
    users = session.scalars(sa.select(User).order_by(User.email)).all()
    return [u for u in users if getattr(u, "active", True) and u.check_password(DEMO_PASSWORD)]


def terminal_qr(url: str) -> str:
    """The URL as a QR code drawn with block characters, for the terminal."""
    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


def request_from_the_laptop() -> bool:
    """Whether this request comes from the machine serving the app (loopback or its own address)."""
    remote = request.remote_addr or ""
    try:
        if ipaddress.ip_address(remote).is_loopback:
            return True
    except ValueError:
        return False
    return remote == request.host.rsplit(":", 1)[0].strip("[]")


def staff_login_over_http_is_on(app: Flask | None = None) -> bool:
    """Venue mode with staff log-in over plain http allowed: the app warns on every page."""
    config = (app or current_app).config
    return bool(config.get("VENUE_MODE")) and bool(config.get("VENUE_HTTP_STAFF_LOGIN"))


def staff_login_allowed() -> bool:
    """Outside venue mode always; in it, over https, from the laptop itself, or when allowed."""
    if not current_app.config.get("VENUE_MODE") or request.is_secure:
        return True
    return request_from_the_laptop() or staff_login_over_http_is_on()

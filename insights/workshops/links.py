"""The participant link, its short form and its QR code, built from the address phones reach.

In venue mode the laptop's network address (PUBLIC_URL) is the one to share, whatever address
the facilitator's own browser used; elsewhere the request's own host is."""

import io

import segno
from flask import current_app, request, url_for

from insights.workshops.models import Workshop

SHORT_CODE_LENGTH = 8


def public_base_url() -> str:
    """The scheme, host and port participants open: PUBLIC_URL when set, else this request's."""
    configured = str(current_app.config.get("PUBLIC_URL") or "").strip()
    return configured.rstrip("/") if configured else request.host_url.rstrip("/")


def participant_url(workshop: Workshop) -> str | None:
    """The full participant link, while it is open."""
    if not workshop.participant_link_enabled or not workshop.participant_token:
        return None
    return public_base_url() + url_for("participate.post_form", token=workshop.participant_token)


def short_participant_url(workshop: Workshop) -> str | None:
    """A link short enough to type from a projector: /j/ and the token's first characters."""
    if not workshop.participant_link_enabled or not workshop.participant_token:
        return None
    code = workshop.participant_token[:SHORT_CODE_LENGTH]
    return public_base_url() + url_for("participate.short_link", code=code)


def qr_svg(url: str) -> str:
    """A standalone SVG QR code (with its xmlns, so browsers draw it as an image)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str) -> bytes:
    """The same QR code as a PNG, for slides and printed handouts."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()

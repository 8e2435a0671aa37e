"""Delivering notices from a request: email them once the change that made them is committed,
through the SMTP server the configuration names (INSIGHTS_MAIL_SERVER and friends)."""

from collections.abc import Sequence

from flask import current_app, request

from insights.extensions import db
from insights.notices.models import Notice
from insights.notices.services import MailSettings, email_notices


def mail_settings() -> MailSettings | None:
    """SMTP settings from the configuration (INSIGHTS_MAIL_SERVER and friends), if any."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        return None
    return MailSettings(
        server=str(server),
        port=int(config.get("MAIL_PORT", 25)),
        sender=str(config.get("MAIL_FROM", "workshop-insights@localhost")),
        username=str(config.get("MAIL_USERNAME", "")),
        password=str(config.get("MAIL_PASSWORD", "")),
        starttls=bool(config.get("MAIL_STARTTLS", False)),
    )


def deliver(notices: Sequence[Notice]) -> None:
    """After the commit: email the notices when SMTP is configured, and record that it was."""
    if email_notices(db.session, mail_settings(), notices, request.url_root):
        db.session.commit()

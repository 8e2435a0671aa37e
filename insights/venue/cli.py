"""`insights venue`: serve the app on the room's network, with the participant link as a QR code."""

import os

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext

from insights.auth.models import User
from insights.auth.services import AccountError, check_new_password
from insights.demo.services import DEMO_PASSWORD
from insights.extensions import db
from insights.venue.services import (
    accounts_with_demo_password,
    network_address,
    terminal_qr,
    venue_settings,
    venue_url,
)
from insights.workshops.models import Workshop


def refuse_demo_passwords() -> None:
    """Stop unless every account has left the published demo password (offering to change it)."""
    users = accounts_with_demo_password(db.session)
    if not users:
        return
    click.echo("These accounts still have the demo password published in the README:")
    for user in users:
        click.echo(f"  {user.email} ({user.role})")
    if not click.confirm("Set new passwords for them now?", default=False):
        raise click.ClickException(
            "Venue mode serves the room's network and never with published passwords. "
            "Set new ones (answer yes here) or deactivate those accounts, then start again."
        )
    for user in users:
        user.set_password(new_password_for(user))
    db.session.commit()
    click.echo("New passwords saved.")


def new_password_for(user: User) -> str:
    """Ask for a new password until it is acceptable."""
    while True:
        password = click.prompt(
            f"New password for {user.email}", hide_input=True, confirmation_prompt=True
        )
        try:
            check_new_password(password)
            if password == DEMO_PASSWORD:
                raise AccountError("That is the published demo password.")
        except AccountError as error:
            click.echo(str(error))
            continue
        return str(password)


def participant_links() -> list[tuple[str, str]]:
    """(title, path) of each live workshop whose participant link is open."""
    rows = db.session.execute(
        sa.select(Workshop.title, Workshop.participant_token)
        .where(Workshop.status == "live", Workshop.participant_link_enabled.is_(True))
        .order_by(Workshop.date.desc(), Workshop.id)
    )
    with current_app.test_request_context():
        return [
            (title, url_for("participate.post_form", token=token)) for title, token in rows if token
        ]


def announce(base_url: str) -> None:
    """Print where staff and phones go, and each open participant link with its QR code."""
    click.echo(f"Venue mode: the app is at {base_url}/ on this network.")
    links = participant_links()
    if not links:
        click.echo(
            "No live workshop has an open participant link yet. Open one on the workshop's "
            "Manage page; its projector view shows the QR code."
        )
        click.echo(terminal_qr(base_url + "/"))
    for title, path in links:
        click.echo(f"Participants of “{title}” join at: {base_url}{path}")
        click.echo(terminal_qr(base_url + path))


@click.command("venue")
@click.option("--address", default=None, help="Address phones reach (default: this machine's).")
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True)
@click.option(
    "--allow-http-staff-login",
    is_flag=True,
    help="Let staff log in from other machines over plain http (every page then warns).",
)
@click.option("--dry-run", is_flag=True, help="Check and print the links, but do not serve.")
@with_appcontext
def venue_command(
    address: str | None, port: int, workers: int, allow_http_staff_login: bool, dry_run: bool
) -> None:
    """Serve the app on the room's network (plain http) for phones and the projector."""
    from insights.ops.serve import InsightsServer

    refuse_demo_passwords()
    base_url = venue_url(address or network_address(), port)
    announce(base_url)
    db.session.remove()
    if dry_run:
        return
    os.environ.update(venue_settings(base_url, allow_http_staff_login))
    bind_host = base_url.split("//", 1)[1].rsplit(":", 1)[0]
    InsightsServer(
        {
            "bind": f"{bind_host}:{port}",
            "workers": workers,
            "threads": 8,
            "worker_class": "gthread",
            "timeout": 60,
            "accesslog": None,
        }
    ).run()

"""Venue mode for real: `insights venue` bound to 127.0.0.2 (a loopback address other than
127.0.0.1) prints the participant link, and the manage and projector pages show that same link
and a QR code Chromium draws and zxing-cpp reads, all on 127.0.0.2."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.workshops.services import enable_participant_link
from tests.browser.fixtures import log_in_page
from tests.factories import make_workshop
from tests.qr import decode_qr

pytestmark = pytest.mark.browser

VENUE_ADDRESS = "127.0.0.2"
INSIGHTS = str(Path(sys.executable).with_name("insights"))


def free_port(address: str) -> int:
    """A port nothing listens on at the address."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, timeout: float = 90) -> None:
    """Poll the health check until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.2)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"venue server did not answer at {url}")


@pytest.fixture
def venue(database_url: str, tmp_path: Path, users: dict[str, User]) -> Iterator[dict[str, str]]:
    """A live workshop with an open link, served by `insights venue` on 127.0.0.2."""
    workshop = make_workshop(db.session, "Room day", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    port = free_port(VENUE_ADDRESS)
    env = {
        **os.environ,
        "INSIGHTS_DATABASE_URL": database_url,
        "INSIGHTS_SECRET_KEY": "venue-test-secret",
        "INSIGHTS_INSTANCE_PATH": str(tmp_path),
    }
    command = [INSIGHTS, "venue", "--address", VENUE_ADDRESS, "--port", str(port)]
    server = subprocess.Popen(  # noqa: S603
        [*command, "--workers", "1"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        printed = read_join_line(server)
        base = f"http://{VENUE_ADDRESS}:{port}"
        wait_until_up(base + "/health")
        yield {"base": base, "printed": printed, "slug": workshop.slug}
    finally:
        server.terminate()
        server.wait(timeout=30)


def read_join_line(server: subprocess.Popen[str]) -> str:
    """The participant URL the command printed."""
    assert server.stdout is not None
    for line in server.stdout:
        if " join at: " in line:
            return line.split(" join at: ", 1)[1].strip()
    raise AssertionError("insights venue printed no participant link")


def qr_texts(page: Page, selector: str) -> list[str]:
    """Decode the QR code Chromium drew in an element, from a screenshot of it."""
    image = page.locator(selector)
    expect(image).to_be_visible()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=image.element_handle())
    return decode_qr(image.screenshot())


def test_venue_mode_on_127_0_0_2_uses_that_address_everywhere(
    venue: dict[str, str], browser: Browser, users: dict[str, User]
) -> None:
    printed = venue["printed"]
    assert printed.startswith(f"http://{VENUE_ADDRESS}:")
    with urllib.request.urlopen(venue["base"] + "/auth/login") as response:  # noqa: S310
        assert "secure" not in (response.headers.get("Set-Cookie") or "").lower()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in_page(page, venue["base"], users["facilitator"].email)
    page.get_by_role("link", name="Room day", exact=True).click()
    page.get_by_role("link", name="Manage workshop").first.click()
    expect(page.get_by_role("textbox", name="Participant link")).to_have_value(printed)
    assert qr_texts(page, "img.qr") == [printed]

    page.get_by_role("link", name="Show on the projector").click()
    assert qr_texts(page, "img.join-qr") == [printed]
    expect(page.locator(".join-url")).to_contain_text(f"http://{VENUE_ADDRESS}:")
    context.close()

"""The demo facilitator logs in and opens the demo workshop in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from insights.auth.views import LOGIN_REFUSED
from insights.demo.services import demo_data, demo_password, load_demo
from insights.extensions import db
from tests.browser.fixtures import log_in_page

pytestmark = pytest.mark.browser


def test_demo_facilitator_logs_in_and_opens_the_demo_workshop(live_server: str, page: Page) -> None:
    load_demo(db.session)
    db.session.commit()
    data = demo_data()
    facilitator = next(a for a in data["accounts"] if a["role"] == "facilitator")

    log_in_page(page, live_server, facilitator["email"], demo_password())
    expect(page.get_by_role("heading", level=1)).to_contain_text(facilitator["name"])
    page.get_by_role("link", name=data["workshop"]["title"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(data["workshop"]["title"])
    first_exercise = data["exercises"][0]
    expect(page.get_by_role("heading", name=first_exercise["title"])).to_be_visible()
    first_statement = next(s for s in data["statements"] if s["exercise"] == first_exercise["key"])
    expect(page.get_by_text(first_statement["text"])).to_be_visible()
    page.screenshot(path=str(live_server_screenshot_path("demo-workshop.png")))


def test_wrong_password_shows_one_message_and_no_account_hint(live_server: str, page: Page) -> None:
    load_demo(db.session)
    db.session.commit()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    # One message whether the account exists, the password is wrong or the account is locked.
    expect(page.get_by_text(LOGIN_REFUSED)).to_be_visible()


def live_server_screenshot_path(name: str):  # type: ignore[no-untyped-def]
    """Screenshots land in benchmarks/out (ignored by git) for a person to look at."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

"""Script tags and event-handler attributes typed into post-its show as text and never run."""

import pytest
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.statements.services import StatementInput, add_statement
from tests.browser.fixtures import log_in_page
from tests.factories import make_workshop

pytestmark = pytest.mark.browser

HOSTILE = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    '"><svg onload="window.__pwned = \'svg\'">',
    "<a href=\"javascript:window.__pwned='link'\">click</a>",
]


def test_hostile_post_its_are_shown_as_text_and_nothing_runs(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Hostile", users["facilitator"], status="live")
    statements = [
        add_statement(
            db.session,
            workshop,
            StatementInput(text=text, kind="idea", organisation=f"Org {text}", author_name=text),
            None,
        )
        for text in HOSTILE
    ]
    db.session.commit()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in_page(page, live_server, users["facilitator"].email)
    for path, shown in (
        ("board", HOSTILE[1]),
        ("capture", HOSTILE[2]),
        (f"statements/{statements[1].id}", HOSTILE[1]),
        (f"board?q={HOSTILE[0]}", HOSTILE[0]),
    ):
        page.goto(f"{live_server}/workshops/{workshop.slug}/{path}")
        expect(page.locator(".postit", has_text=shown).first).to_be_visible()
        assert page.evaluate("window.__pwned") is None, path
    for link in page.get_by_text("click").all():
        assert "javascript:" not in (link.get_attribute("href") or "")
    assert dialogs == []

"""Every page a person reaches on a phone fits its screen: at 390 px wide no page scrolls
sideways. Each role starts at the log-in page and follows the links it is shown (as
click_crawl does), one page per kind of address, with the demo loaded."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Browser

from insights.demo.services import demo_data, demo_password, load_demo
from insights.extensions import db
from tests.browser.fixtures import log_in_page

pytestmark = pytest.mark.browser

PHONE = 390
PAGES_PER_ROLE = 60
# Downloads, log-out and static files are not pages to read.
NOT_A_PAGE = re.compile(
    r"logout|download|export|/static/|\.(csv|xlsx|docx|pdf|json|graphml|gexf|svg|png|md|txt)$"
)
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1
        && getComputedStyle(e).position !== 'fixed')
    .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def kind_of_address(url: str) -> str:
    """The address with its numbers and query values blanked: one page of each kind."""
    parts = urlparse(url)
    return re.sub(r"\d+", "N", parts.path) + "?" + re.sub(r"=[^&]*", "=", parts.query)


@pytest.mark.parametrize("role", ["facilitator", "lead", "member"])
def test_no_page_scrolls_sideways_on_a_phone(live_server: str, browser: Browser, role: str) -> None:
    load_demo(db.session)
    db.session.commit()
    account = next(a for a in demo_data()["accounts"] if a["role"] == role)
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    log_in_page(page, live_server, account["email"], demo_password())
    seen: set[str] = set()
    queue, wide, read = [page.url], [], 0
    while queue and read < PAGES_PER_ROLE:
        url = queue.pop(0)
        if kind_of_address(url) in seen:
            continue
        seen.add(kind_of_address(url))
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        read += 1
        if page.evaluate("document.documentElement.scrollWidth") > PHONE:
            wide.append((urlparse(url).path, page.evaluate(TOO_WIDE, PHONE)))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urljoin(url, href).split("#")[0]
            if urlparse(target).netloc == urlparse(live_server).netloc:
                if not NOT_A_PAGE.search(urlparse(target).path):
                    queue.append(target)
    context.close()
    assert read >= 20, f"only {read} pages reached: the walk is not seeing the product"
    assert wide == [], f"pages wider than {PHONE} px: {wide}"

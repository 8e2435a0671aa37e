"""In Chromium: a lead uploads a real CKAN catalogue from the datasets page, sees its preview
(what was read, what would be added, a sample of mapped records), confirms, and reads the
report and a named dataset; the same file again is previewed as all unchanged."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.datasets.models import Dataset
from insights.extensions import db
from tests.browser.fixtures import log_in_page

pytestmark = pytest.mark.browser

BIRMINGHAM = (
    Path(__file__).resolve().parents[1] / "data" / "catalogues" / ("birmingham_package_search.json")
)
APRIL = "April 2021 Purchase Card Transactions"


def upload(page: Page) -> None:
    """From the catalogue, open the import page and send the Birmingham file."""
    page.get_by_role("link", name="Datasets and gaps").click()
    page.get_by_role("link", name="Import a catalogue file").click()
    page.get_by_label("Catalogue file").set_input_files(str(BIRMINGHAM))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the catalogue import")


def test_a_catalogue_upload_is_previewed_confirmed_reported_and_not_doubled_when_repeated(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    log_in_page(page, live_server, users["lead"].email)
    upload(page)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("CKAN API JSON")
    expect(facts).to_contain_text("UTF-8")
    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("10 datasets will be added")
    expect(summary).to_contain_text("0 will be left unchanged")
    sample = page.get_by_role("row").filter(has_text=APRIL)
    expect(sample).to_contain_text("Birmingham City Council")
    expect(sample).to_contain_text("98702016-3d53-45cb-a00b-5bcad5d96a9a")
    expect(sample).to_contain_text("XLS")

    page.get_by_role("button", name="Import 10 datasets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue import report")
    expect(page.locator(".job-report")).to_contain_text("10 datasets added")
    page.get_by_role("link", name=APRIL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(APRIL)
    expect(page.locator("main")).to_contain_text("Birmingham City Council")
    expect(page.locator("main")).to_contain_text("XLS")

    upload(page)
    expect(summary).to_contain_text("0 datasets will be added")
    expect(summary).to_contain_text("10 will be left unchanged")
    page.get_by_role("button", name="Import 10 datasets").click()
    expect(page.locator(".job-report")).to_contain_text("10 already up to date")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 10

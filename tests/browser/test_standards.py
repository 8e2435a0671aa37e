"""In Chromium, only clicking after the log-in page: a lead drafts a data standard from the
demo's needs, publishes version 1 and downloads the XLSX template; three member organisations
upload filled templates for three boroughs (one is refused with row numbers, corrected and
accepted); the lead sees the pooled comparison and the map, publishes the open data and finds
it in the catalogue serving the needs it was drafted from. Screenshots at three widths."""

import random
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from insights.auth.services import create_user
from insights.demo.services import demo_password
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.workshops.models import Participant, Workshop, WorkshopMember
from tests.browser.fixtures import log_in_page
from tests.roundups.demo import demo_workshop
from tests.standards.builders import answer

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
WIDTHS = (390, 1366, 1920)
MEMBERS = (
    ("member@example.org", "Lewisham Community Action", "Lewisham"),
    ("hackney@example.org", "Hackney Voluntary Action", "Hackney"),
    ("camden@example.org", "Camden Voluntary Sector Forum", "Camden"),
)


def member_accounts(workshop: Workshop) -> None:
    """Two more demo members, and each member linked to the CVS they took part for."""
    for email, organisation_name, _ in MEMBERS:
        user = db.session.scalar(
            sa.select(WorkshopMember)
            .join(WorkshopMember.user)
            .where(WorkshopMember.workshop_id == workshop.id, WorkshopMember.user.has(email=email))
        )
        if user is None:
            account = create_user(
                db.session, email, f"Member for {organisation_name}", "member", demo_password()
            )
            workshop.memberships.append(WorkshopMember(user=account, role="member"))
            db.session.flush()
            account_id = account.id
        else:
            account_id = user.user_id
        organisation = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == organisation_name)
        )
        participant = db.session.scalar(
            sa.select(Participant).where(
                Participant.workshop_id == workshop.id,
                Participant.organisation_id == organisation.id,
            )
        )  # type: ignore[union-attr]
        assert participant is not None
        participant.user_id = account_id
    db.session.commit()


def open_standard(page: Page, workshop_title: str) -> None:
    """From the home page to the workshop's data standard, by clicking."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workshops").click()
    page.get_by_role("link", name=workshop_title).first.click()
    page.get_by_role("link", name="Data standard").click()


def fill_template(
    template: Path, out: Path, borough: str, rows: int, seed: int, break_row: int | None = None
) -> Path:
    """The downloaded template filled in as a CVS would: `rows` organisations' answers."""
    workbook = load_workbook(template)
    sheet = workbook["Data"]
    names = [cell.value for cell in sheet[1]]
    rng = random.Random(seed)
    version = type("Version", (), {"fields": [_FieldLike(workbook, name) for name in names]})()
    for number in range(rows):
        values = answer(version, rng, borough)  # type: ignore[arg-type]
        for column, name in enumerate(names, start=1):
            value = values[name]
            sheet.cell(
                row=number + 2, column=column, value=int(value) if value.isdecimal() else value
            )
    if break_row is not None:
        sheet.cell(row=break_row, column=names.index("paid_staff") + 1, value="about ten")
        sheet.cell(row=break_row + 2, column=names.index("income_band") + 1, value="lots")
    workbook.save(out)
    return out


class _FieldLike:
    """A field as the answer builder needs it, read back from the template's Lists sheet."""

    def __init__(self, workbook, name: str) -> None:  # type: ignore[no-untyped-def]
        lists = workbook["Lists"]
        column = next((c for c in lists[1] if c.value == name), None)
        self.name = name
        self.codes = (
            [cell.value for cell in lists[column.column_letter][1:] if cell.value] if column else []
        )
        self.type = (
            "integer"
            if name in ("paid_staff", "volunteers")
            else ("number" if name == "grant_income" else "string")
        )


def screenshots(page: Page, name: str) -> None:
    """The page at phone, laptop and wide-screen widths."""
    OUT.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(OUT / f"standards-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_from_needs_to_pooled_open_data_in_the_catalogue(
    live_server: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    workshop = demo_workshop(db.session)
    member_accounts(workshop)
    title = workshop.title

    lead = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = lead.new_page()
    page.set_default_timeout(15_000)
    log_in_page(page, live_server, "lead@example.org", demo_password())
    open_standard(page, title)
    page.get_by_role("button", name="Draft from the needs").click()
    expect(page.get_by_text("fields proposed from the workshop's needs")).to_be_visible()
    expect(page.get_by_role("row", name="Volunteers volunteers")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    screenshots(page, "version")
    with page.expect_download() as caught:
        page.get_by_role("link", name="XLSX template").click()
    template = tmp_path / "template.xlsx"
    caught.value.save_as(template)
    workbook = load_workbook(template)
    rules = workbook["Data"].data_validations.dataValidation
    assert any(rule.type == "list" and "Lists" in rule.formula1 for rule in rules)

    for index, (email, organisation, borough) in enumerate(MEMBERS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        member = context.new_page()
        member.set_default_timeout(15_000)
        log_in_page(member, live_server, email, demo_password())
        open_standard(member, title)
        member.get_by_role("link", name="Minimum data set: Data about the sector").click()
        member.get_by_role("navigation", name="Data standard").get_by_role(
            "link", name="Submissions"
        ).click()
        member.get_by_role("link", name="Submit your survey results").click()
        expect(member.get_by_label("Submitting organisation")).to_have_value(organisation)
        member.get_by_label("Borough").select_option(label=borough)
        if index == 1:
            broken = fill_template(
                template, tmp_path / f"{borough}-broken.xlsx", borough, 12, index, break_row=4
            )
            member.get_by_label("Filled-in template (CSV or XLSX)").set_input_files(broken)
            member.get_by_role("button", name="Check and submit").click()
            problems = member.get_by_role("alert")
            expect(problems).to_contain_text("The file was refused: nothing was stored")
            expect(problems).to_contain_text(
                "row 4, column 'paid_staff': “about ten” is not a whole number."
            )
            expect(problems).to_contain_text(
                "row 6, column 'income_band': “lots” is not one of the allowed values"
            )
            screenshots(member, "refused")
            member.get_by_label("Borough").select_option(label=borough)
        filled = fill_template(template, tmp_path / f"{borough}.xlsx", borough, 12, index)
        member.get_by_label("Filled-in template (CSV or XLSX)").set_input_files(filled)
        member.get_by_role("button", name="Check and submit").click()
        expect(
            member.get_by_text(f"Accepted: 12 responses from {organisation} for {borough}")
        ).to_be_visible()
        context.close()

    page.get_by_role("navigation", name="Data standard").get_by_role(
        "link", name="Pooled data"
    ).click()
    expect(page.get_by_text("3 of 33 boroughs.")).to_be_visible()
    page.get_by_label("Field").select_option(label="Paid staff")
    page.get_by_role("button", name="Compare").click()
    london = page.get_by_role(
        "img", name=f"Paid staff, {_year(page)}: mean per organisation (people) by borough"
    )
    expect(london).to_be_visible()
    expect(page.locator(".compare-table")).to_contain_text("Lewisham")
    screenshots(page, "pool")
    page.get_by_role("button", name="Publish the pooled data as open data").click()
    expect(
        page.get_by_text("Open data release 1 is published and in the catalogue.")
    ).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Datasets and gaps"
    ).click()
    page.get_by_role("searchbox").first.fill("pooled data by borough")
    page.get_by_role("searchbox").first.press("Enter")
    page.get_by_role(
        "link", name="Minimum data set: Data about the sector: pooled data by borough and year"
    ).click()
    served = page.locator("ul.link-list").first
    expect(served).to_contain_text("borough-level volunteering data")
    page.locator("dd a[href*='/open-data/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("pooled data by borough and year")
    screenshots(page, "open-data")
    lead.close()


def _year(page: Page) -> str:
    """The year the pooled page shows."""
    return page.get_by_label("Year").input_value()

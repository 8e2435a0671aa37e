"""Jobs in Chromium: from the board a facilitator finds a re-tag whose worker died among the
workshop's jobs, runs it again with the page's button and sees it finish; a re-tag started
afterwards finds nothing left to do."""

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.jobs import enqueue
from insights.jobs.worker import claim_job, reap
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

SHOTS = Path("benchmarks/out")


@pytest.fixture
def workshop_with_a_dead_job(users: dict[str, User]) -> Workshop:
    """A workshop with post-its, and a re-tag whose only attempt died with its worker."""
    workshop = make_workshop(db.session, "Jobs in the room", users["facilitator"], status="live")
    for number in range(12):
        make_statement(db.session, workshop, f"Grants data for small groups, note {number}")
    job = enqueue(
        db.session,
        "retag",
        {},
        title="Re-tag after the taxonomy change",
        workshop_id=workshop.id,
        max_attempts=1,
        dispatch=False,
    )
    db.session.commit()
    claim_job(db.session, job.id, "laptop-that-went-to-sleep:4242")
    reap(db.session, timedelta(seconds=30), now=utcnow() + timedelta(minutes=5))
    pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))  # load it once
    return workshop


def shoot(page: Page, name: str) -> None:
    """Screenshots at a phone's, a laptop's and a wide screen's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_a_facilitator_runs_a_job_whose_worker_died_again_from_its_page(
    app: Flask, live_server: str, page: Page, users: dict[str, User], workshop_with_a_dead_job
) -> None:  # type: ignore[no-untyped-def]
    log_in_page(page, live_server, users["facilitator"].email)
    page.get_by_role("link", name="Board of Jobs in the room").click()
    page.locator("summary", has_text="After").click()  # the board's "After" menu holds it
    page.get_by_role("link", name="Background jobs").click()
    expect(page.get_by_role("heading", name="Background jobs of Jobs in the room")).to_be_visible()
    dead = page.get_by_role("row").filter(has_text="Re-tag after the taxonomy change")
    expect(dead).to_contain_text("Its worker stopped during attempt 1 of 1")
    shoot(page, "jobs-list")
    dead.get_by_role("link", name="Re-tag after the taxonomy change").click()
    expect(page.locator(".job-status")).to_contain_text("Failed after 1 attempt(s)")
    shoot(page, "job-failed")
    page.get_by_role("button", name="Run again").click()
    expect(page.get_by_text("The job is queued again.")).to_be_visible()
    expect(page.locator(".job-status")).to_contain_text("Done: 12 of 12.")
    expect(page.get_by_role("button", name="Run again")).to_be_hidden()
    shoot(page, "job-done")

    page.get_by_role("link", name="Back to the board").click()
    page.locator("summary", has_text="After").click()
    page.get_by_role("button", name="Re-tag all").click()
    expect(page.get_by_role("heading", name="Re-tag the post-its")).to_be_visible()
    expect(page.locator(".job-status")).to_contain_text("Done: 0 of 0 (nothing needed doing).")

"""Data requests as records: drafted from gaps, sent, answered or declined with dates; printed
as a letter; exported as CSV; an answer naming a dataset links it to the needs."""

import csv
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.nextsteps.services import is_gap
from insights.requests.models import DataRequest
from insights.requests.services import (
    RequestError,
    draft_request,
    letter_text,
    mark_sent,
    record_reply,
    requests_csv,
    update_draft,
)
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


@pytest.fixture
def workshop(users: dict[str, User]) -> Workshop:
    """A workshop the facilitator, lead and member belong to."""
    found = make_workshop(
        db.session,
        "Data sharing",
        users["facilitator"],
        users["lead"],
        users["member"],
        host_network="HEAR Network",
        date=date(2021, 11, 18),
    )
    db.session.commit()
    return found


def suggested(need: Statement, title: str, publisher: str, score: float) -> Dataset:
    """A catalogue dataset suggested (not confirmed) for the need."""
    dataset = Dataset(title=title, publisher=publisher, keywords=[], extra={})
    db.session.add(dataset)
    db.session.flush()
    db.session.add(
        NeedDatasetLink(
            statement_id=need.id,
            dataset_id=dataset.id,
            status="suggested",
            score=score,
            reasons=["A borough need, but this dataset is only at region level."],
        )
    )
    db.session.commit()
    return dataset


def two_gaps(workshop: Workshop) -> tuple[Statement, Statement, Dataset]:
    """Two needs with no confirmed dataset; the first has two suggestions."""
    first = make_statement(db.session, workshop, "Volunteering rates by borough and ethnicity.")
    second = make_statement(db.session, workshop, "How many DPOs there are in each borough.")
    suggested(first, "Community Life Survey", "DCMS", 0.4)
    best = suggested(first, "Volunteering by borough", "GLA", 0.7)
    return first, second, best


def sent_request(workshop: Workshop, user: User) -> tuple[DataRequest, Statement, Statement]:
    """A request about both gaps, sent on 1 December 2021."""
    first, second, _ = two_gaps(workshop)
    request = draft_request(db.session, workshop, [first, second], user)
    mark_sent(db.session, request, date(2021, 12, 1), user)
    db.session.commit()
    return request, first, second


def test_a_request_from_gaps_is_addressed_to_the_closest_datasets_publisher(
    workshop: Workshop, users: dict[str, User]
) -> None:
    first, second, best = two_gaps(workshop)
    request = draft_request(db.session, workshop, [first, second], users["lead"])
    db.session.commit()
    assert request.status == "drafted" and request.addressee == "GLA"
    assert [n.id for n in request.needs] == [first.id, second.id]
    assert "2 data needs" in request.subject
    assert first.text in request.body and best.title in request.body
    assert "HEAR Network" in request.body and "18 November 2021" in request.body


def test_status_moves_from_drafted_to_sent_to_answered_with_dates(
    workshop: Workshop, users: dict[str, User]
) -> None:
    request, _, _ = sent_request(workshop, users["lead"])
    with pytest.raises(RequestError):
        update_draft(db.session, request, request.version, {}, request.needs, users["lead"])
    with pytest.raises(RequestError):
        record_reply(
            db.session, request, status="answered", on=date(2021, 11, 1), answer="",
            dataset=None, coverage="serves", user=users["lead"],
        )  # fmt: skip
    record_reply(
        db.session, request, status="answered", on=date(2021, 12, 9),
        answer="We hold this for 12 boroughs.", dataset=None, coverage="serves",
        user=users["lead"],
    )  # fmt: skip
    db.session.commit()
    assert (request.status, request.sent_on, request.answered_on) == (
        "answered",
        date(2021, 12, 1),
        date(2021, 12, 9),
    )
    with pytest.raises(RequestError):
        mark_sent(db.session, request, date(2021, 12, 10), users["lead"])
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.entity_type == "data_request")
    ).all()
    assert actions == ["data_request.drafted", "data_request.sent", "data_request.answered"]


def test_an_answer_naming_a_dataset_links_it_to_every_need(
    workshop: Workshop, users: dict[str, User]
) -> None:
    request, first, second = sent_request(workshop, users["lead"])
    named = Dataset(title="Directory of DPOs", publisher="Inclusion London", keywords=[], extra={})
    db.session.add(named)
    db.session.flush()
    record_reply(
        db.session, request, status="answered", on=date(2021, 12, 9), answer="Here it is.",
        dataset=named, coverage="partly-serves", user=users["lead"],
    )  # fmt: skip
    db.session.commit()
    assert not is_gap(db.session, first) and not is_gap(db.session, second)
    links = db.session.scalars(
        sa.select(NeedDatasetLink).where(NeedDatasetLink.dataset_id == named.id)
    ).all()
    assert {(k.statement_id, k.status, k.coverage) for k in links} == {
        (first.id, "confirmed", "partly-serves"),
        (second.id, "confirmed", "partly-serves"),
    }


def test_a_declined_request_links_nothing(workshop: Workshop, users: dict[str, User]) -> None:
    request, first, _ = sent_request(workshop, users["lead"])
    record_reply(
        db.session, request, status="declined", on=date(2021, 12, 3), answer="We can't share it.",
        dataset=None, coverage="serves", user=users["lead"],
    )  # fmt: skip
    db.session.commit()
    assert request.status == "declined" and request.answer == "We can't share it."
    assert is_gap(db.session, first)


def test_the_letter_names_the_addressee_subject_and_each_need(
    workshop: Workshop, users: dict[str, User]
) -> None:
    request, first, second = sent_request(workshop, users["lead"])
    request.contact = "data@london.gov.uk"
    text = letter_text(request)
    assert text.startswith("To: GLA\nContact: data@london.gov.uk\nSubject: Data request")
    assert "Dear GLA," in text and f"1. “{first.text}”" in text and f"2. “{second.text}”" in text


def test_the_csv_export_reads_back_with_the_needs_count_as_a_number(
    workshop: Workshop, users: dict[str, User]
) -> None:
    request, first, _ = sent_request(workshop, users["lead"])
    request.addressee = "=HYPERLINK(evil)"
    rows = list(csv.DictReader(io.StringIO(requests_csv(workshop, [request]).decode("utf-8-sig"))))
    assert len(rows) == 1 and int(rows[0]["needs_count"]) == 2
    assert rows[0]["status"] == "sent" and rows[0]["sent_on"] == "2021-12-01"
    assert rows[0]["addressee"] == "'=HYPERLINK(evil)"  # never run as a formula
    assert first.text in rows[0]["needs"]


def test_a_lead_drafts_a_request_in_one_click_from_the_gaps_page(
    client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    first, _, _ = two_gaps(workshop)
    log_in(client, users["lead"].email)
    page = client.get(f"/graph/gaps?workshop={workshop.slug}").get_data(as_text=True)
    action = f"/workshops/{workshop.slug}/data-requests/new"
    assert action in page and "Draft a data request" in page
    response = client.post(
        action, data={"csrf_token": csrf_token_from(page), "needs": str(first.id)}
    )
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    assert re.search(r"/data-requests/\d+/edit$", edit_url)
    edit = client.get(edit_url).get_data(as_text=True)
    assert 'value="GLA"' in edit and first.text in edit
    request = db.session.scalars(sa.select(DataRequest)).one()
    letter = client.get(f"/workshops/{workshop.slug}/data-requests/{request.id}/letter.txt")
    assert letter.mimetype == "text/plain" and "Dear GLA," in letter.get_data(as_text=True)
    export = client.get(f"/workshops/{workshop.slug}/data-requests/export.csv")
    assert export.mimetype == "text/csv" and export.headers["Content-Disposition"].startswith(
        "attachment"
    )


def test_members_do_not_handle_data_requests(
    client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    request, _, _ = sent_request(workshop, users["lead"])
    log_in(client, users["member"].email)
    assert client.get(f"/workshops/{workshop.slug}/data-requests/").status_code == 403
    assert client.get(f"/workshops/{workshop.slug}/data-requests/{request.id}").status_code == 403
    page = client.get(f"/graph/gaps?workshop={workshop.slug}").get_data(as_text=True)
    assert "Draft a data request" not in page

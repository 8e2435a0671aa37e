"""Data requests as records: drafted from gaps, sent, then answered or declined; printed as a
letter or email; exported as CSV. An answer that names a dataset links it to the needs."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from insights.audit.services import record, snapshot
from insights.auth.models import User
from insights.core.enums import LinkCoverage, RequestStatus
from insights.core.exports import csv_bytes
from insights.core.ids import valid_id
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.datasets.services import decide_link
from insights.extensions import DbSession
from insights.nextsteps.services import gap_filter
from insights.requests.models import DataRequest
from insights.statements.models import Statement
from insights.workshops.models import Workshop

NO_HOLDER = "The publisher or holder of this data"
AUDITED = ("addressee", "contact", "subject", "body", "status", "sent_on", "answered_on", "answer")
CSV_COLUMNS = [
    "id",
    "workshop",
    "addressee",
    "contact",
    "subject",
    "status",
    "sent_on",
    "answered_on",
    "answer",
    "dataset",
    "needs_count",
    "needs",
]


class RequestError(ValueError):
    """A data request change that cannot be made, with the reason a person can act on."""


class RequestConflict(RequestError):
    """Someone else changed the request after this form was opened."""


def workshop_requests(session: DbSession, workshop: Workshop) -> list[DataRequest]:
    """The workshop's data requests, newest first."""
    return list(
        session.scalars(
            sa.select(DataRequest)
            .where(DataRequest.workshop_id == workshop.id)
            .order_by(DataRequest.id.desc())
        )
    )


def closest_datasets(session: DbSession, need_ids: Sequence[int], limit: int = 3) -> list[Dataset]:
    """The best-scored suggested datasets for these needs: who to ask first."""
    if not need_ids:
        return []
    rows = session.scalars(
        sa.select(Dataset)
        .join(NeedDatasetLink, NeedDatasetLink.dataset_id == Dataset.id)
        .where(NeedDatasetLink.statement_id.in_(need_ids), NeedDatasetLink.status == "suggested")
        .where(Dataset.deleted_at.is_(None))
        .order_by(NeedDatasetLink.score.desc(), Dataset.title)
    ).all()
    return list(dict.fromkeys(rows))[:limit]


def gaps_of(session: DbSession, workshop: Workshop, need_ids: Sequence[int]) -> list[Statement]:
    """Of these ids, the live needs of the workshop that are gaps (no confirmed dataset); ids
    the database cannot hold are none of them."""
    gaps = gap_filter(session, [int(i) for i in need_ids if valid_id(i)])
    return list(
        session.scalars(
            sa.select(Statement)
            .where(Statement.id.in_(gaps), Statement.workshop_id == workshop.id)
            .where(Statement.kind == "need", Statement.deleted_at.is_(None))
            .order_by(Statement.id)
        )
    )


def draft_request(
    session: DbSession, workshop: Workshop, needs: Sequence[Statement], user: User | None
) -> DataRequest:
    """A drafted request for the data these gaps lack, addressed to the publisher of the closest
    dataset we know of (the person can change it before sending)."""
    if not needs:
        raise RequestError("Choose at least one gap of this workshop to ask about.")
    closest = closest_datasets(session, [n.id for n in needs])
    holder = closest[0] if closest else None
    request = DataRequest(
        workshop_id=workshop.id,
        addressee=(holder.publisher if holder and holder.publisher else NO_HOLDER)[:300],
        holder_organisation_id=holder.holder_organisation_id if holder else None,
        subject=subject_for(workshop, needs),
        status=RequestStatus.DRAFTED.value,
        created_by_id=user.id if user else None,
    )
    request.needs = list(needs)
    request.body = letter_body(workshop, list(needs), closest, user)
    session.add(request)
    session.flush()
    _audit(session, "drafted", request, user, after=snapshot(request, AUDITED))
    return request


def subject_for(workshop: Workshop, needs: Sequence[Statement]) -> str:
    """A subject line: what the request is about and which workshop asks."""
    count = len(needs)
    what = "one data need" if count == 1 else f"{count} data needs"
    return f"Data request: {what} from “{workshop.title}”"[:200]


def letter_body(
    workshop: Workshop, needs: list[Statement], closest: list[Dataset], user: User | None
) -> str:
    """The request's text: who asks, what is missing, who raised it, what we found instead."""
    when = f" on {workshop.date.strftime('%-d %B %Y')}" if workshop.date else ""
    host = workshop.host_network or "our network"
    lines = [
        f"We are writing on behalf of {host}, following the workshop “{workshop.title}”{when}.",
        "Participants told us they need data that we have not been able to find:",
        "",
        *(f"{number}. {need_line(need)}" for number, need in enumerate(needs, 1)),
        "",
        "The closest datasets we know of: "
        + ("; ".join(d.title for d in closest) if closest else "none in our catalogue")
        + ".",
        "",
        "Could you tell us whether you hold or publish data that meets these needs, at "
        "borough level or finer, and on what terms it could be shared?",
        "",
        "With thanks,",
        user.name if user else host,
    ]
    return "\n".join(lines)


def need_line(need: Statement) -> str:
    """One need as the letter lists it: its words, and who raised it and where."""
    who = [need.organisation.name if need.organisation else "", _borough(need)]
    raised = ", ".join(w for w in who if w)
    return f"“{need.text}”" + (f" (raised by {raised})" if raised else "")


def _borough(need: Statement) -> str:
    """The need's borough, else its organisation's."""
    if need.borough is not None:
        return need.borough.name
    organisation = need.organisation
    return organisation.borough.name if organisation and organisation.borough else ""


def letter_text(request: DataRequest) -> str:
    """The request printed as an email or letter: addressee, subject, salutation and body."""
    header = [f"To: {request.addressee}"]
    if request.contact:
        header.append(f"Contact: {request.contact}")
    header += [f"Subject: {request.subject}", ""]
    return "\n".join([*header, f"Dear {request.addressee},", "", request.body, ""])


def update_draft(
    session: DbSession,
    request: DataRequest,
    expected_version: int,
    fields: dict[str, str],
    needs: Sequence[Statement],
    user: User | None,
) -> None:
    """Change a drafted request's addressee, contact, subject, text and gaps."""
    if request.status != RequestStatus.DRAFTED:
        raise RequestError("Only a drafted request can be edited; this one has been sent.")
    if request.version != expected_version:
        raise RequestConflict("Someone else changed this request after you opened it.")
    if not needs:
        raise RequestError("A request asks about at least one gap.")
    before = snapshot(request, AUDITED)
    for name in ("addressee", "contact", "subject", "body"):
        setattr(request, name, fields[name].strip())
    if not request.addressee or not request.subject:
        raise RequestError("Say who the request is to, and give it a subject.")
    request.needs = list(needs)
    _audit(session, "edit", request, user, before=before, after=snapshot(request, AUDITED))


def mark_sent(session: DbSession, request: DataRequest, on: dt.date, user: User | None) -> None:
    """Record that the request went out, and when."""
    if request.status != RequestStatus.DRAFTED:
        raise RequestError("This request has already been sent.")
    request.status = RequestStatus.SENT.value
    request.sent_on = on
    _audit(session, "sent", request, user, after=snapshot(request, AUDITED))


def record_reply(
    session: DbSession,
    request: DataRequest,
    *,
    status: str,
    on: dt.date,
    answer: str,
    dataset: Dataset | None,
    coverage: str,
    user: User | None,
) -> None:
    """Record an answer or a refusal with its date; a named dataset is linked to every need."""
    if request.status != RequestStatus.SENT:
        raise RequestError("Only a sent request can be answered or declined.")
    if status not in (RequestStatus.ANSWERED, RequestStatus.DECLINED):
        raise RequestError("A reply either answers or declines the request.")
    if request.sent_on and on < request.sent_on:
        raise RequestError("The reply cannot come before the request was sent.")
    before = snapshot(request, AUDITED)
    request.status, request.answered_on, request.answer = status, on, answer.strip()
    request.dataset = dataset if status == RequestStatus.ANSWERED else None
    if request.dataset is not None:
        for need in request.needs:
            decide_link(
                session,
                need,
                request.dataset,
                status="confirmed",
                user=user,
                coverage=coverage if coverage in set(LinkCoverage) else "serves",
                reasons=[f"Named in the answer to data request {request.id} ({on})."],
            )
    after = {**snapshot(request, AUDITED), "dataset_id": request.dataset_id}
    _audit(session, status, request, user, before=before, after=after)


def requests_csv(workshop: Workshop, requests: Sequence[DataRequest]) -> bytes:
    """One row per request, with the needs it asks about (their count as a number)."""
    return csv_bytes(CSV_COLUMNS, (_row(workshop, r) for r in requests))


def _row(workshop: Workshop, request: DataRequest) -> list[Any]:
    """A request's CSV cells."""
    return [
        request.id,
        workshop.slug,
        request.addressee,
        request.contact,
        request.subject,
        request.status,
        request.sent_on.isoformat() if request.sent_on else "",
        request.answered_on.isoformat() if request.answered_on else "",
        request.answer,
        request.dataset.title if request.dataset else "",
        len(request.needs),
        " | ".join(need.text for need in request.needs),
    ]


def _audit(
    session: DbSession, verb: str, request: DataRequest, user: User | None, **change: Any
) -> None:
    """Record a change to a data request in the audit log, with the request's workshop."""
    record(
        session,
        f"data_request.{verb}",
        "data_request",
        request.id,
        user_id=user.id if user is not None else None,
        workshop_id=request.workshop_id,
        **change,
    )

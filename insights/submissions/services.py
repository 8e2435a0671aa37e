"""Submission services: take an upload for a borough and a year, map its columns (remembering
each organisation's own headings for next year), validate it whole, store it all or nothing,
and replace an earlier submission only once someone confirms, keeping the old one as history.

Services take a session and never commit; the view or command that owns the request does."""

from dataclasses import dataclass

import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.core.enums import SubmissionShape, SubmissionStatus, values
from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.organisations.services import find_or_add_organisation
from insights.standards.models import StandardVersion
from insights.statements.imports import Limits, Problem
from insights.submissions.aggregates import check_aggregates
from insights.submissions.models import ColumnMapping, Submission, SubmissionRow
from insights.submissions.validation import (
    IGNORE,
    Mapping,
    SubmissionRejected,
    check_rows,
    map_columns,
    read_submission,
)
from insights.timeutil import utcnow
from insights.workshops.models import Participant

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Slot:
    """What a submission is for: a version of a standard, a borough and a year."""

    version: StandardVersion
    borough_code: str
    year: int


@dataclass
class Outcome:
    """Where an upload got to: accepted, waiting for a mapping, or waiting for confirmation."""

    submission: Submission
    state: str  # "accepted", "needs-mapping" or "needs-confirmation"
    mapping: Mapping | None = None
    replaces: Submission | None = None


def check_slot(session: DbSession, slot: Slot) -> None:
    """Refuse a draft version, an unknown borough or a year out of range."""
    problems = []
    if not slot.version.is_published:
        problems.append(Problem("Submissions are made against a published version."))
    if session.get(Borough, slot.borough_code[:9]) is None:
        problems.append(Problem(f"{slot.borough_code!r} is not a London borough code."))
    if not FIRST_YEAR <= slot.year <= LAST_YEAR:
        problems.append(Problem(f"The year must be between {FIRST_YEAR} and {LAST_YEAR}."))
    if problems:
        raise SubmissionRejected(problems)


def current_for(session: DbSession, slot: Slot) -> Submission | None:
    """The accepted submission that now fills this slot, if any."""
    return session.scalar(
        sa.select(Submission).where(
            Submission.version_id == slot.version.id,
            Submission.borough_code == slot.borough_code,
            Submission.year == slot.year,
            Submission.status == SubmissionStatus.CURRENT.value,
        )
    )


def my_organisations(session: DbSession, user: User) -> list[Organisation]:
    """The organisations a person took part for (their participant records), by name."""
    query = (
        sa.select(Organisation)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.user_id == user.id)
        .distinct()
        .order_by(Organisation.name)
    )
    return list(session.scalars(query))


def start(
    session: DbSession,
    slot: Slot,
    organisation_name: str,
    user: User | None,
    upload: tuple[bytes, str],
    shape: str = SubmissionShape.ROWS.value,
) -> Submission:
    """A pending submission holding the uploaded file (one row per organisation, or
    aggregates), for the organisation named."""
    check_slot(session, slot)
    organisation = find_or_add_organisation(session, organisation_name, slot.borough_code)
    if organisation is None:
        raise SubmissionRejected([Problem("Say which organisation is submitting.")])
    session.flush()
    data, filename = upload
    submission = Submission(
        version_id=slot.version.id,
        borough_code=slot.borough_code,
        year=slot.year,
        organisation_id=organisation.id,
        submitted_by_id=user.id if user else None,
        shape=shape if shape in values(SubmissionShape) else SubmissionShape.ROWS.value,
        status=SubmissionStatus.PENDING.value,
        filename=filename[:200],
        upload=data,
        aggregates={},
    )
    session.add(submission)
    session.flush()
    return submission


def remembered_mapping(
    session: DbSession, organisation_id: int, standard_id: int
) -> dict[str, str]:
    """The organisation's own headings for this standard's fields, from its last submission."""
    saved = session.get(ColumnMapping, (organisation_id, standard_id))
    return dict(saved.columns) if saved else {}


def process(
    session: DbSession,
    submission: Submission,
    *,
    choices: dict[str, str] | None = None,
    limits: Limits | None = None,
    may_replace: bool = False,
) -> Outcome:
    """Map, validate and store a pending submission's file. Refused whole (SubmissionRejected)
    when any row is wrong; waits when required fields have no column, or when it would replace
    an accepted submission that someone must first agree to replace."""
    version = submission.standard_version
    frame = read_submission(submission.upload or b"", submission.filename, limits)
    mapping = None
    if submission.shape == SubmissionShape.AGGREGATES.value:
        submission.response_count, submission.aggregates = check_aggregates(version, frame)
    else:
        remembered = remembered_mapping(session, submission.organisation_id, version.standard_id)
        mapping = map_columns(
            version, [str(c) for c in frame.columns], {**remembered, **(choices or {})}
        )
        if not mapping.complete and mapping.unmatched and choices is None:
            return Outcome(submission, "needs-mapping", mapping)
        checked = check_rows(version, frame, mapping)
        _store_rows(session, submission, checked.rows)
        submission.aggregates = checked.aggregates
        submission.response_count = len(checked.rows)
        _remember(session, submission, mapping, choices or {})
    slot = Slot(version, submission.borough_code, submission.year)
    earlier = current_for(session, slot)
    if earlier is not None and earlier.id != submission.id:
        if not may_replace:
            raise SubmissionRejected([Problem(_taken(earlier))])
        return Outcome(submission, "needs-confirmation", mapping, earlier)
    accept(session, submission)
    return Outcome(submission, "accepted", mapping)


def _taken(earlier: Submission) -> str:
    """Why someone may not replace another organisation's submission."""
    return (
        f"{earlier.organisation.name} has already submitted for {earlier.borough.name} in "
        f"{earlier.year}: ask a lead of the workshop to replace it."
    )


def _store_rows(session: DbSession, submission: Submission, rows: list[dict[str, object]]) -> None:
    """Insert the validated rows in one statement (a Core executemany: thousands per file)."""
    session.execute(sa.delete(SubmissionRow).where(SubmissionRow.submission_id == submission.id))
    session.execute(
        sa.insert(SubmissionRow),
        [
            {"submission_id": submission.id, "number": i, "values": row}
            for i, row in enumerate(rows, 1)
        ],
    )


def _remember(
    session: DbSession, submission: Submission, mapping: Mapping, choices: dict[str, str]
) -> None:
    """Keep the headings that differ from the field names, and those chosen to be ignored."""
    columns = {header: name for name, header in mapping.columns.items() if header != name}
    columns |= {header: IGNORE for header, name in choices.items() if name == IGNORE}
    key = (submission.organisation_id, submission.standard_version.standard_id)
    saved = session.get(ColumnMapping, key)
    if saved is None:
        if columns:
            session.add(ColumnMapping(organisation_id=key[0], standard_id=key[1], columns=columns))
        return
    saved.columns = {**saved.columns, **columns}


def accept(session: DbSession, submission: Submission, replacing: Submission | None = None) -> None:
    """Make a validated submission count; the one it replaces is kept, marked replaced."""
    if replacing is not None:
        replacing.status = SubmissionStatus.REPLACED.value
        replacing.replaced_by_id = submission.id
        session.flush()
    submission.status = SubmissionStatus.CURRENT.value
    submission.accepted_at = utcnow()
    submission.upload = None  # the rows are stored; the raw file is not kept
    session.flush()
    record(
        session,
        "submission.accept",
        "submission",
        submission.id,
        user_id=submission.submitted_by_id,
        workshop_id=submission.standard_version.standard.workshop_id,
        borough=submission.borough_code,
        year=submission.year,
        replaced=replacing.id if replacing else None,
    )


def confirm_replacement(session: DbSession, submission: Submission) -> Submission:
    """Replace the slot's accepted submission with this pending one; returns the old one."""
    if submission.status != SubmissionStatus.PENDING.value or submission.response_count == 0:
        raise SubmissionRejected([Problem("This upload is not waiting for confirmation.")])
    slot = Slot(submission.standard_version, submission.borough_code, submission.year)
    earlier = current_for(session, slot)
    if earlier is None:
        accept(session, submission)
        return submission
    accept(session, submission, replacing=earlier)
    return earlier


def discard(session: DbSession, submission: Submission) -> None:
    """Forget a pending upload (refused, or not confirmed)."""
    if submission.status == SubmissionStatus.PENDING.value:
        session.delete(submission)
        session.flush()


def submissions_of(session: DbSession, version_ids: list[int]) -> list[Submission]:
    """Every accepted and replaced submission against these versions, newest first."""
    if not version_ids:
        return []
    query = (
        sa.select(Submission)
        .where(Submission.version_id.in_(version_ids))
        .where(Submission.status != SubmissionStatus.PENDING.value)
        .order_by(Submission.year.desc(), Submission.borough_code, Submission.id.desc())
    )
    return list(session.scalars(query))

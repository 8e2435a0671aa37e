"""Statement services: capture, edit, delete, restore, merge and split — never destroying words."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import DbSession
from insights.organisations.models import Borough
from insights.organisations.services import find_or_add_organisation
from insights.security import CONTROL_CHARACTERS
from insights.statements.models import NeedDetail, Statement, StatementRevision
from insights.timeutil import utcnow
from insights.workshops.models import STATEMENT_KINDS, Exercise, Workshop

MAX_TEXT_LENGTH = 2000


class StatementError(ValueError):
    """A statement that cannot be saved as given, with a message for the person."""


class EditConflict(StatementError):
    """Someone else saved the statement after this editor opened it."""

    def __init__(self, statement: Statement, attempted_text: str) -> None:
        super().__init__("Someone else changed this post-it after you opened it.")
        self.statement = statement
        self.attempted_text = attempted_text


@dataclass
class StatementInput:
    """What a person typed for one post-it, before it is checked."""

    text: str
    kind: str | None = None
    exercise_key: str | None = None
    exercise_id: int | None = None
    organisation: str = ""
    borough: str = ""
    author_name: str = ""
    anonymous: bool = False
    said_on: datetime | None = None
    source: str = "capture"


def clean_text(text: str | None) -> str:
    """The post-it's text without surrounding space; refuses empty and over-long text."""
    cleaned = CONTROL_CHARACTERS.sub("", text or "").strip()
    if not cleaned:
        raise StatementError("The post-it is empty: type some words first.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise StatementError(
            f"The post-it is {len(cleaned):,} characters long; the limit is {MAX_TEXT_LENGTH:,}."
        )
    return cleaned


def borough_lookup(session: DbSession) -> dict[str, str]:
    """Every way of naming a borough (code, name, "&" for "and"), lower-cased, to its code."""
    lookup: dict[str, str] = {}
    for code, name in session.execute(sa.select(Borough.code, Borough.name)):
        for alias in (code, name, name.replace(" and ", " & "), name.replace("upon", "on")):
            lookup[alias.lower()] = code
    return lookup


def resolve_borough(value: str | None, lookup: dict[str, str]) -> str | None:
    """The ONS code of a borough given by code or name; refuses names that are not boroughs."""
    key = " ".join((value or "").split()).lower()
    if not key:
        return None
    key = key.removeprefix("london borough of ").removeprefix("royal borough of ")
    if key not in lookup:
        raise StatementError(f"{value!r} is not a London borough.")
    return lookup[key]


def resolve_exercise(workshop: Workshop, data: StatementInput) -> Exercise | None:
    """The exercise the post-it belongs to, by id or key, or the first of its kind."""
    for exercise in workshop.exercises:
        if exercise.id == data.exercise_id or (
            data.exercise_key and exercise.key == data.exercise_key
        ):
            return exercise
    if data.exercise_id is not None or data.exercise_key:
        raise StatementError(
            f"This workshop has no exercise {data.exercise_key or data.exercise_id!r}."
        )
    return next((e for e in workshop.exercises if e.kind == data.kind), None)


def resolve_kind(data: StatementInput, exercise: Exercise | None) -> str:
    """The statement's kind: as given, else the exercise's."""
    kind = (data.kind or "").strip().lower() or (exercise.kind if exercise else "")
    if kind not in STATEMENT_KINDS:
        raise StatementError(
            f"Unknown kind {kind or '(none)'!r}: choose one of {', '.join(STATEMENT_KINDS)}."
        )
    return kind


def add_statement(
    session: DbSession, workshop: Workshop, data: StatementInput, user: User | None
) -> Statement:
    """Check and add one post-it to a workshop; needs get an empty structured form."""
    text = clean_text(data.text)
    exercise = resolve_exercise(workshop, data)
    kind = resolve_kind(data, exercise)
    borough_code = resolve_borough(data.borough, borough_lookup(session)) if data.borough else None
    organisation = find_or_add_organisation(session, data.organisation, borough_code)
    statement = Statement(
        workshop_id=workshop.id,
        exercise_id=exercise.id if exercise else None,
        kind=kind,
        original_text=text,
        text=text,
        author_name=" ".join(data.author_name.split())[:120],
        anonymous=data.anonymous,
        organisation=organisation,
        borough_code=borough_code or (organisation.borough_code if organisation else None),
        source=data.source,
        said_on=data.said_on,
        created_by_id=user.id if user else None,
    )
    if kind == "need":
        statement.need = NeedDetail()
    session.add(statement)
    session.flush()
    record(
        session,
        "statement.add",
        "statement",
        statement.id,
        user_id=user.id if user else None,
        workshop_id=workshop.id,
        after={"text": text, "kind": kind, "source": data.source},
    )
    return statement


def _revise(
    statement: Statement,
    action: str,
    before: str,
    after: str,
    user: User | None,
    related: Statement | None = None,
) -> StatementRevision:
    """A revision row recording one change."""
    return StatementRevision(
        statement_id=statement.id,
        action=action,
        text_before=before,
        text_after=after,
        related_statement_id=related.id if related else None,
        changed_by_id=user.id if user else None,
    )


def edit_statement(
    session: DbSession, statement: Statement, new_text: str, expected_version: int, user: User
) -> Statement:
    """Change the current wording; the original stays, the change is recorded. Detects conflicts."""
    text = clean_text(new_text)
    if expected_version != statement.version:
        raise EditConflict(statement, text)
    if text == statement.text:
        return statement
    before = statement.text
    session.add(_revise(statement, "edit", before, text, user))
    statement.text = text
    statement.updated_by_id = user.id
    record(
        session,
        "statement.edit",
        "statement",
        statement.id,
        user_id=user.id,
        workshop_id=statement.workshop_id,
        before={"text": before},
        after={"text": text},
    )
    session.flush()
    return statement


def delete_statement(session: DbSession, statement: Statement, user: User) -> None:
    """Soft-delete: the post-it leaves the board but stays, ready to be restored."""
    if statement.deleted_at is not None:
        return
    statement.deleted_at = utcnow()
    statement.deleted_by_id = user.id
    session.add(_revise(statement, "delete", statement.text, statement.text, user))
    record(
        session,
        "statement.delete",
        "statement",
        statement.id,
        user_id=user.id,
        workshop_id=statement.workshop_id,
    )
    session.flush()


def restore_statement(session: DbSession, statement: Statement, user: User) -> None:
    """Undo a delete."""
    if statement.deleted_at is None:
        return
    statement.deleted_at = None
    statement.deleted_by_id = None
    session.add(_revise(statement, "restore", statement.text, statement.text, user))
    record(
        session,
        "statement.restore",
        "statement",
        statement.id,
        user_id=user.id,
        workshop_id=statement.workshop_id,
    )
    session.flush()


def merge_statements(
    session: DbSession, keep: Statement, duplicates: Sequence[Statement], user: User
) -> Statement:
    """Fold duplicates into one post-it; every merged wording stays linked to it as evidence."""
    for duplicate in duplicates:
        if duplicate.id == keep.id:
            continue
        if duplicate.workshop_id != keep.workshop_id:
            raise StatementError("Only post-its of the same workshop can be merged.")
        duplicate.merged_into_id = keep.id
        session.add(_revise(duplicate, "merge", duplicate.text, keep.text, user, related=keep))
    record(
        session,
        "statement.merge",
        "statement",
        keep.id,
        user_id=user.id,
        workshop_id=keep.workshop_id,
        merged=[d.id for d in duplicates if d.id != keep.id],
    )
    session.flush()
    return keep


def unmerge_statement(session: DbSession, statement: Statement, user: User) -> None:
    """Undo a merge: the post-it stands on its own again."""
    if statement.merged_into_id is None:
        return
    session.add(_revise(statement, "unmerge", statement.text, statement.text, user))
    record(
        session,
        "statement.unmerge",
        "statement",
        statement.id,
        user_id=user.id,
        workshop_id=statement.workshop_id,
        before={"merged_into": statement.merged_into_id},
        after={"merged_into": None},
    )
    statement.merged_into_id = None
    session.flush()


def merged_evidence(session: DbSession, statement: Statement) -> list[Statement]:
    """The post-its merged into this one, with their own wording, author and organisation."""
    return list(
        session.scalars(
            sa.select(Statement)
            .where(Statement.merged_into_id == statement.id)
            .order_by(Statement.id)
        )
    )


def split_statement(
    session: DbSession, statement: Statement, first: str, second: str, user: User
) -> tuple[Statement, Statement]:
    """Split one post-it into two; the original is kept (hidden) and both halves point to it."""
    halves = []
    for text in (clean_text(first), clean_text(second)):
        half = Statement(
            workshop_id=statement.workshop_id,
            exercise_id=statement.exercise_id,
            kind=statement.kind,
            original_text=statement.original_text,
            text=text,
            author_name=statement.author_name,
            participant_id=statement.participant_id,
            organisation_id=statement.organisation_id,
            borough_code=statement.borough_code,
            anonymous=statement.anonymous,
            source="split",
            split_from_id=statement.id,
            said_on=statement.said_on,
            created_by_id=user.id,
        )
        if half.kind == "need":
            half.need = NeedDetail()
        session.add(half)
        halves.append(half)
    session.flush()
    for half in halves:
        session.add(_revise(statement, "split", statement.text, half.text, user, related=half))
    statement.deleted_at = utcnow()
    statement.deleted_by_id = user.id
    record(
        session,
        "statement.split",
        "statement",
        statement.id,
        user_id=user.id,
        workshop_id=statement.workshop_id,
        into=[h.id for h in halves],
    )
    session.flush()
    return halves[0], halves[1]

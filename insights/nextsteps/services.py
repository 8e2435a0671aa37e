"""Next steps: create, edit (refusing stale edits), delete and restore, and make them from a
post-it, a gap or a pooling opportunity. Functions take a session and never commit."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from insights.audit.services import changed, record
from insights.auth.models import User
from insights.core.ids import valid_id
from insights.core.lookups import (
    dataset_shared_with,
    visible_datasets_query,
    visible_organisations_query,
    workshop_statements_query,
)
from insights.datasets.gaps import gaps_among
from insights.datasets.models import Dataset
from insights.extensions import DbSession
from insights.nextsteps.models import EFFORTS, NEXT_STEP_STATUSES, NextStep, next_step_statements
from insights.organisations.models import Organisation
from insights.organisations.services import find_or_add_organisation
from insights.statements.models import Statement
from insights.themes.models import Theme
from insights.timeutil import utcnow
from insights.workshops.models import Workshop, WorkshopMember
from insights.workshops.services import can_facilitate, membership_role

TITLE_LENGTH = 200
STEP_KINDS = ("idea", "next-step")  # post-its that read as actions


class NextStepError(ValueError):
    """A next step that cannot be saved, with a message for the person."""


@dataclass
class NextStepInput:
    """What a person chose for a next step, before it is checked."""

    title: str
    description: str = ""
    statement_ids: list[int] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    dataset_ids: list[int] = field(default_factory=list)
    owner: str = ""  # "", "user:<id>" or "org:<id>"
    owner_organisation_name: str = ""  # a new organisation, typed in
    status: str = "proposed"
    due_date: date | None = None
    effort: str | None = None
    impact: int | None = None
    notes: str = ""


class EditConflict(NextStepError):
    """Someone else saved the step after this editor opened it; both versions are kept."""

    def __init__(self, step: NextStep, saved: dict[str, str], attempted: dict[str, str]) -> None:
        super().__init__("Someone else changed this next step after you opened it.")
        self.step = step
        self.saved = saved
        self.attempted = attempted


def can_manage(session: DbSession, user: User, workshop: Workshop) -> bool:
    """Facilitators of the workshop, and leads who are members of it, run its next steps."""
    if can_facilitate(session, user, workshop):
        return True
    return user.role == "lead" and membership_role(session, user, workshop) is not None


def live_steps_query(workshop: Workshop) -> sa.Select[Any]:
    """The workshop's next steps that are not deleted."""
    return (
        sa.select(NextStep)
        .where(NextStep.workshop_id == workshop.id, NextStep.deleted_at.is_(None))
        .order_by(NextStep.id)
    )


def create_next_step(
    session: DbSession,
    workshop: Workshop,
    data: NextStepInput,
    user: User | None,
    *,
    origin: str = "scratch",
    source: Statement | None = None,
) -> NextStep:
    """Check and add a next step to the workshop."""
    step = NextStep(workshop_id=workshop.id, origin=origin, created_by_id=user and user.id)
    step.source_statement_id = source.id if source is not None else None
    apply_input(session, workshop, step, data, user)
    session.add(step)
    session.flush()
    record(
        session,
        "next_step.create",
        "next_step",
        step.id,
        user_id=user.id if user else None,
        workshop_id=workshop.id,
        after=audit_fields(step),
        origin=origin,
    )
    return step


def audit_fields(step: NextStep) -> dict[str, Any]:
    """What the audit log keeps of a step, before and after a change."""
    return {
        "title": step.title,
        "description": step.description,
        "status": step.status,
        "owner_user_id": step.owner_user.id if step.owner_user else step.owner_user_id,
        "owner_organisation": step.owner_organisation.name if step.owner_organisation else None,
        "due_date": step.due_date.isoformat() if step.due_date else None,
        "effort": step.effort,
        "impact": step.impact,
        "notes": step.notes,
        "statement_ids": sorted(s.id for s in step.statements),
        "theme_ids": sorted(t.id for t in step.themes),
        "dataset_ids": sorted(d.id for d in step.datasets),
    }


def update_next_step(
    session: DbSession,
    step: NextStep,
    data: NextStepInput,
    expected_version: int,
    user: User | None = None,
) -> None:
    """Save the edit unless someone saved the step after the editor opened it."""
    workshop = session.get(Workshop, step.workshop_id)
    assert workshop is not None
    if expected_version != step.version:
        attempted = input_summary(session, workshop, data, user)
        raise EditConflict(step, step_summary(step), attempted)
    before = audit_fields(step)
    apply_input(session, workshop, step, data, user)
    # Touching a column makes every save bump the version, even when only links changed.
    step.updated_at = utcnow()
    old, new = changed(before, audit_fields(step))
    record(
        session,
        "next_step.edit",
        "next_step",
        step.id,
        user_id=user.id if user else None,
        workshop_id=workshop.id,
        before=old,
        after=new,
    )


def apply_input(
    session: DbSession, workshop: Workshop, step: NextStep, data: NextStepInput, user: User | None
) -> None:
    """Check every field, then set them on the step."""
    title = " ".join(data.title.split())
    if not title:
        raise NextStepError("A next step needs a title.")
    if len(title) > TITLE_LENGTH:
        raise NextStepError(
            f"Keep the title to {TITLE_LENGTH} characters; put more in the description."
        )
    check_choices(data)
    step.title = title
    step.description = data.description.strip()
    step.status = data.status
    step.due_date = data.due_date
    step.effort = data.effort or None
    step.impact = data.impact
    step.notes = data.notes.strip()
    step.statements = workshop_statements(session, workshop, data.statement_ids)
    step.themes = rows_by_id(session, Theme, data.theme_ids, "theme")
    step.datasets = workshop_datasets(session, workshop, user, data.dataset_ids)
    set_owner(session, workshop, step, data, user)


def check_choices(data: NextStepInput) -> None:
    """Status, effort and impact must be among their choices."""
    if data.status not in NEXT_STEP_STATUSES:
        raise NextStepError(f"Status must be one of {', '.join(NEXT_STEP_STATUSES)}.")
    if data.effort and data.effort not in EFFORTS:
        raise NextStepError("Effort must be S, M or L.")
    if data.impact is not None and not 1 <= data.impact <= 5:
        raise NextStepError("Impact must be between 1 and 5.")


def workshop_statements(session: DbSession, workshop: Workshop, ids: list[int]) -> list[Statement]:
    """The chosen post-its, which must belong to this workshop."""
    if not ids:
        return []
    found = session.scalars(workshop_statements_query(workshop, ids)).all()
    if len(found) != len(set(ids)):
        raise NextStepError("Some chosen post-its are not in this workshop.")
    return list(found)


def datasets_for_step(workshop: Workshop, user: User | None) -> sa.Select[Any]:
    """The datasets a step of this workshop may name: published ones, and those made in the
    workshop, that the editor may see."""
    query = visible_datasets_query(user) if user is not None else sa.select(Dataset)
    return query.where(Dataset.deleted_at.is_(None), dataset_shared_with(workshop))


def workshop_datasets(
    session: DbSession, workshop: Workshop, user: User | None, ids: list[int]
) -> list[Dataset]:
    """The chosen datasets, refusing any the step may not name."""
    if not ids:
        return []
    wanted = {i for i in ids if valid_id(i)}
    found = session.scalars(datasets_for_step(workshop, user).where(Dataset.id.in_(wanted))).all()
    if len(found) != len(set(ids)):
        raise NextStepError("Some chosen datasets do not exist.")
    return list(found)


def owner_organisations(user: User | None) -> sa.Select[Any]:
    """The organisations an editor may name as owner: those they may see."""
    return visible_organisations_query(user) if user is not None else sa.select(Organisation)


def rows_by_id(session: DbSession, model: Any, ids: list[int], what: str) -> list[Any]:
    """Rows of a model by id, refusing ids that do not exist."""
    if not ids:
        return []
    wanted = {i for i in ids if valid_id(i)}
    found = session.scalars(sa.select(model).where(model.id.in_(wanted))).all()
    if len(found) != len(set(ids)):
        raise NextStepError(f"Some chosen {what}s do not exist.")
    return list(found)


def set_owner(
    session: DbSession, workshop: Workshop, step: NextStep, data: NextStepInput, user: User | None
) -> None:
    """A person who belongs to the workshop, or an organisation (new ones are added)."""
    step.owner_user_id = step.owner_organisation_id = None
    step.owner_user = step.owner_organisation = None
    kind, _, raw_id = data.owner.partition(":")
    if data.owner_organisation_name.strip():
        step.owner_organisation = find_or_add_organisation(
            session, data.owner_organisation_name, None
        )
    elif kind == "user" and valid_id(raw_id):
        if session.get(WorkshopMember, (workshop.id, int(raw_id))) is None:
            raise NextStepError("The owner must be someone in this workshop.")
        step.owner_user = session.get(User, int(raw_id))
    elif kind == "org" and valid_id(raw_id):
        chosen = owner_organisations(user).where(Organisation.id == int(raw_id))
        step.owner_organisation = session.scalars(chosen).first()
        if step.owner_organisation is None:
            raise NextStepError("That organisation does not exist.")
    elif data.owner:
        raise NextStepError("Choose the owner from the list.")


def step_summary(step: NextStep) -> dict[str, str]:
    """A step's fields as text, to show side by side with another version."""
    return {
        "Title": step.title,
        "Description": step.description,
        "Status": step.status,
        "Owner": step.owner_name,
        "Due": step.due_date.isoformat() if step.due_date else "",
        "Effort": step.effort or "",
        "Impact": str(step.impact or ""),
        "Notes": step.notes,
        "Post-its": "; ".join(s.text for s in step.statements),
        "Themes": "; ".join(t.name for t in step.themes),
        "Datasets": "; ".join(d.title for d in step.datasets),
    }


def input_summary(
    session: DbSession, workshop: Workshop, data: NextStepInput, user: User | None
) -> dict[str, str]:
    """What the editor tried to save, in the same shape as step_summary: only what the editor
    may see (post-its of this workshop, datasets the step may name, owners on the list)."""

    def names(query: sa.Select[Any], column: Any) -> str:
        return "; ".join(str(getattr(row, column)) for row in session.scalars(query))

    wanted_datasets = {i for i in data.dataset_ids if valid_id(i)}
    wanted_themes = {i for i in data.theme_ids if valid_id(i)}
    statements = workshop_statements_query(workshop, data.statement_ids)
    datasets = datasets_for_step(workshop, user).where(Dataset.id.in_(wanted_datasets))
    themes = sa.select(Theme).where(Theme.id.in_(wanted_themes)).order_by(Theme.id)

    return {
        "Title": data.title,
        "Description": data.description,
        "Status": data.status,
        "Owner": owner_label(session, workshop, data, user),
        "Due": data.due_date.isoformat() if data.due_date else "",
        "Effort": data.effort or "",
        "Impact": str(data.impact or ""),
        "Notes": data.notes,
        "Post-its": names(statements, "text"),
        "Themes": names(themes, "name"),
        "Datasets": names(datasets.order_by(None).order_by(Dataset.id), "title"),
    }


def owner_label(
    session: DbSession, workshop: Workshop, data: NextStepInput, user: User | None
) -> str:
    """The owner an editor chose, by name, if it is one the owner list offers them."""
    if data.owner_organisation_name.strip():
        return data.owner_organisation_name.strip()
    kind, _, raw_id = data.owner.partition(":")
    if not valid_id(raw_id):
        return ""
    if kind == "user":
        member = session.get(WorkshopMember, (workshop.id, int(raw_id)))
        return member.user.name if member is not None else ""
    if kind == "org":
        chosen = owner_organisations(user).where(Organisation.id == int(raw_id))
        organisation = session.scalars(chosen).first()
        return organisation.name if organisation is not None else ""
    return ""


def delete_next_step(session: DbSession, step: NextStep, user: User | None) -> None:
    """Soft-delete: the step leaves every list and can be restored."""
    if step.deleted_at is not None:
        return
    step.deleted_at = utcnow()
    record(
        session,
        "next_step.delete",
        "next_step",
        step.id,
        user_id=user.id if user else None,
        workshop_id=step.workshop_id,
        before={"title": step.title},
    )


def restore_next_step(session: DbSession, step: NextStep, user: User | None) -> None:
    """Undo a delete."""
    if step.deleted_at is None:
        return
    step.deleted_at = None
    record(
        session,
        "next_step.restore",
        "next_step",
        step.id,
        user_id=user.id if user else None,
        workshop_id=step.workshop_id,
        after={"title": step.title},
    )


def short_title(text: str) -> str:
    """A title from a post-it: its first line, cut at a word near the limit."""
    line = " ".join(text.split())
    if len(line) <= TITLE_LENGTH:
        return line
    return line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def statement_themes(session: DbSession, statement: Statement) -> list[int]:
    """Ids of the themes on a post-it that no one rejected."""
    from insights.themes.models import StatementTheme

    return list(
        session.scalars(
            sa.select(StatementTheme.theme_id).where(
                StatementTheme.statement_id == statement.id, StatementTheme.decision != "rejected"
            )
        )
    )


def next_step_from_statement(
    session: DbSession, workshop: Workshop, statement: Statement, user: User
) -> NextStep:
    """A proposed step from an idea or next-step post-it, linked to it and its themes."""
    if statement.workshop_id != workshop.id or statement.kind not in STEP_KINDS:
        raise NextStepError("Only idea and next-step post-its of this workshop become next steps.")
    data = NextStepInput(
        title=short_title(statement.text),
        description=statement.text,
        statement_ids=[statement.id],
        theme_ids=statement_themes(session, statement),
    )
    return create_next_step(session, workshop, data, user, origin="statement", source=statement)


def is_gap(session: DbSession, statement: Statement) -> bool:
    """A need that no confirmed link to a catalogue dataset serves."""
    if statement.kind != "need":
        return False
    return statement.id in gap_filter(session, [statement.id])


def gap_filter(session: DbSession, need_ids: list[int]) -> set[int]:
    """Of these need ids, the gaps (the one definition lives in insights.datasets.gaps)."""
    return gaps_among(session, need_ids)


def next_step_from_gap(
    session: DbSession, workshop: Workshop, need: Statement, user: User
) -> NextStep:
    """A step to find or collect the data a gap is missing, linked to the need."""
    if need.workshop_id != workshop.id or not is_gap(session, need):
        raise NextStepError("Only a need of this workshop with no confirmed dataset is a gap.")
    data = NextStepInput(
        title=short_title(f"Find or collect data: {need.text}"),
        description=(
            f"No dataset in the catalogue is confirmed to serve this need:\n“{need.text}”\n"
            "Find who holds or could publish this data, or agree how to collect it."
        ),
        statement_ids=[need.id],
        theme_ids=statement_themes(session, need),
    )
    return create_next_step(session, workshop, data, user, origin="gap", source=need)


@dataclass
class PoolingInput:
    """A pooling opportunity as the gaps or graph page describes it."""

    theme: str = ""  # a theme slug
    boroughs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    kind: str = "held-data"  # or "shared-gap"
    title: str = ""


def next_step_from_pooling(
    session: DbSession, workshop: Workshop, pooling: PoolingInput, user: User
) -> NextStep:
    """A step to pool data (or fill a shared gap) across boroughs, with the items listed."""
    theme = session.scalar(sa.select(Theme).where(Theme.slug == pooling.theme))
    places = ", ".join(b for b in pooling.boroughs if b.strip()) or "several boroughs"
    about = theme.name if theme is not None else "this data"
    default_title = (
        f"Pool {about} data across {places}"
        if pooling.kind == "held-data"
        else f"Fill the shared gap on {about} in {places}"
    )
    lines = "\n".join(f"- {item.strip()}" for item in pooling.items if item.strip())
    data = NextStepInput(
        title=short_title(pooling.title or default_title),
        description=f"Pooling opportunity ({pooling.kind}) in {places}.\n{lines}".strip(),
        theme_ids=[theme.id] if theme is not None else [],
    )
    return create_next_step(session, workshop, data, user, origin="pooling")


def carry_forward(session: DbSession, workshop: Workshop) -> tuple[list[NextStep], list[Statement]]:
    """What to carry to the next workshop: steps never decided on, and action or need
    post-its that no step takes up."""
    from insights.voting.models import VoteItem, VoteRound

    voted = (
        sa.select(VoteItem.next_step_id)
        .join(VoteRound, VoteItem.round_id == VoteRound.id)
        .where(VoteRound.status == "closed", VoteItem.next_step_id.is_not(None))
    )
    steps = session.scalars(
        live_steps_query(workshop).where(
            sa.or_(
                NextStep.status == "parked",
                sa.and_(NextStep.status == "proposed", NextStep.id.not_in(voted)),
            )
        )
    ).all()
    taken = (
        sa.select(next_step_statements.c.statement_id)
        .join(NextStep, NextStep.id == next_step_statements.c.next_step_id)
        .where(NextStep.deleted_at.is_(None))
    )
    statements = session.scalars(
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.kind.in_((*STEP_KINDS, "need")))
        .where(Statement.deleted_at.is_(None), Statement.merged_into_id.is_(None))
        .where(Statement.id.not_in(taken))
        .order_by(Statement.kind, Statement.id)
    ).all()
    return list(steps), list(statements)

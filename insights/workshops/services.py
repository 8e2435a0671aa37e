"""Workshop services: creating workshops and deciding who may see them."""

import re
import secrets
import unicodedata
from datetime import date
from typing import Any

import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.core.naming import first_free
from insights.extensions import DbSession
from insights.reference import read_json
from insights.workshops.models import (
    MEMBER_ROLES,
    STATEMENT_KINDS,
    Exercise,
    Workshop,
    WorkshopMember,
)


class WorkshopError(ValueError):
    """A workshop request that cannot be done, with a message for the person."""


def slugify(text: str) -> str:
    """A URL-safe lower-case slug from a title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "workshop"


def unique_slug(session: DbSession, wanted: str) -> str:
    """The wanted slug, or the slug with the first free number after it (kept to 80)."""
    prefix = wanted[:70]
    similar = sa.select(Workshop.slug).where(
        sa.or_(Workshop.slug == wanted, Workshop.slug.startswith(prefix, autoescape=True))
    )
    return first_free(wanted, set(session.scalars(similar)), limit=80)


def unique_exercise_key(workshop: Workshop, title: str) -> str:
    """A key for a new exercise from its title, unique within the workshop (at most 40)."""
    return first_free(slugify(title)[:40], {e.key for e in workshop.exercises}, limit=40)


def exercise_templates() -> list[dict[str, str]]:
    """The five exercises of a "data about the sector" workshop, editable once added."""
    return list(read_json("exercise_templates.json")["exercises"])


def create_workshop(
    session: DbSession,
    title: str,
    *,
    when: date | None = None,
    slug: str | None = None,
    creator: User | None = None,
    with_templates: bool = True,
) -> Workshop:
    """Create a draft workshop; its creator becomes a facilitator of it."""
    title = title.strip()
    if not title:
        raise WorkshopError("A workshop needs a title.")
    if slug is not None:
        if slugify(slug) != slug:
            raise WorkshopError(f"{slug!r} is not a valid slug: use a-z, 0-9 and hyphens.")
        if session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug)) is not None:
            raise WorkshopError(f"A workshop with the slug {slug!r} already exists.")
    workshop = Workshop(title=title, date=when, slug=slug or unique_slug(session, slugify(title)))
    if creator is not None:
        workshop.created_by_id = creator.id
        workshop.memberships.append(WorkshopMember(user=creator, role="facilitator"))
    if with_templates:
        for position, template in enumerate(exercise_templates()):
            workshop.exercises.append(Exercise(position=position, **template))
    session.add(workshop)
    return workshop


def add_exercise(workshop: Workshop, key: str, title: str, prompt: str, kind: str) -> Exercise:
    """Add a custom exercise collecting statements of one kind."""
    if kind not in STATEMENT_KINDS:
        raise WorkshopError(f"Unknown kind {kind!r}: choose one of {', '.join(STATEMENT_KINDS)}.")
    exercise = Exercise(
        position=len(workshop.exercises), key=key, title=title, prompt=prompt, kind=kind
    )
    workshop.exercises.append(exercise)
    return exercise


def visible_workshops_query(user: User) -> sa.Select[Any]:
    """Workshops the user may open: all for admins, otherwise those they belong to."""
    query = sa.select(Workshop).order_by(Workshop.date.desc().nulls_last(), Workshop.title)
    if user.role == "admin":
        return query
    members = sa.select(WorkshopMember.workshop_id).where(WorkshopMember.user_id == user.id)
    return query.where(Workshop.id.in_(members))


def find_visible_workshop(session: DbSession, user: User, slug: str) -> Workshop | None:
    """The workshop with this slug, if the user may open it."""
    return session.scalars(visible_workshops_query(user).where(Workshop.slug == slug)).first()


def membership_role(session: DbSession, user: User, workshop: Workshop) -> str | None:
    """The user's role within the workshop ("facilitator" or "member"), if any."""
    return session.scalar(
        sa.select(WorkshopMember.role).where(
            WorkshopMember.workshop_id == workshop.id, WorkshopMember.user_id == user.id
        )
    )


STATUS_MOVES = {"draft": ("live",), "live": ("closed", "draft"), "closed": ("live",)}


def can_facilitate(session: DbSession, user: User, workshop: Workshop) -> bool:
    """Admins, and the workshop's own facilitators, may run it."""
    if user.role == "admin":
        return True
    return user.role == "facilitator" and membership_role(session, user, workshop) == "facilitator"


def update_workshop(workshop: Workshop, expected_version: int, **fields: object) -> None:
    """Change a workshop's details unless someone else saved it after the editor opened it."""
    if expected_version != workshop.version:
        raise WorkshopError(
            "Someone else changed this workshop after you opened it. Reload to see their changes."
        )
    title = str(fields.get("title") or "").strip()
    if not title:
        raise WorkshopError("A workshop needs a title.")
    for name, value in {**fields, "title": title}.items():
        setattr(workshop, name, value)


def change_status(workshop: Workshop, status: str) -> None:
    """Move draft → live → closed (a closed workshop can be reopened)."""
    if status not in STATUS_MOVES.get(workshop.status, ()):
        raise WorkshopError(f"A {workshop.status} workshop cannot become {status}.")
    workshop.status = status


def enable_participant_link(
    workshop: Workshop, session: DbSession | None = None, by: User | None = None
) -> str:
    """Open the participant link, with a new secret if it was revoked or never made."""
    was_open = bool(workshop.participant_token and workshop.participant_link_enabled)
    if not was_open:
        workshop.participant_token = secrets.token_urlsafe(24)
    workshop.participant_link_enabled = True
    if session is not None and not was_open:
        _record_link(session, workshop, by, opened=True)
    return workshop.participant_token or ""


def revoke_participant_link(
    workshop: Workshop, session: DbSession | None = None, by: User | None = None
) -> None:
    """Close the participant link at once; re-enabling it makes a new secret."""
    was_open = bool(workshop.participant_link_enabled)
    workshop.participant_link_enabled = False
    if session is not None and was_open:
        _record_link(session, workshop, by, opened=False)


def _record_link(session: DbSession, workshop: Workshop, by: User | None, *, opened: bool) -> None:
    """Audit the participant link opening or closing: a public way in."""
    record(
        session,
        "workshop.link_open" if opened else "workshop.link_revoke",
        "participant_link",
        workshop.id,
        user_id=by.id if by else None,
        workshop_id=workshop.id,
        before={"open": not opened},
        after={"open": opened},
    )


def find_workshop_by_token(session: DbSession, token: str) -> Workshop | None:
    """The live workshop whose participant link this is, while the link is open."""
    if not token:
        return None
    workshop = session.scalar(sa.select(Workshop).where(Workshop.participant_token == token))
    if workshop is None or not workshop.participant_link_enabled or workshop.status != "live":
        return None
    return workshop


def add_member(
    session: DbSession, workshop: Workshop, user: User, role: str, *, by: User | None = None
) -> WorkshopMember:
    """Invite an account to the workshop, or change its role there."""
    if role not in MEMBER_ROLES:
        raise WorkshopError(f"Unknown workshop role {role!r}.")
    if role == "facilitator" and not user.has_role("facilitator"):
        raise WorkshopError(f"{user.email} has no facilitator account, so can only be a member.")
    member = session.get(WorkshopMember, (workshop.id, user.id))
    before = None if member is None else {"role": member.role}
    if member is None:
        member = WorkshopMember(workshop_id=workshop.id, user_id=user.id, role=role)
        session.add(member)
    if before != {"role": role}:
        record(
            session,
            "member.add" if before is None else "member.role",
            "member",
            user.id,
            user_id=by.id if by else None,
            workshop_id=workshop.id,
            before=before,
            after={"role": role, "email": user.email},
        )
    member.role = role
    return member

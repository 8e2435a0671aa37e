"""Round-up services: generate, edit (a published round-up is never changed: an edit makes the
next version), publish to members or at a public link, comments and endorsements.

Services take a session and never commit; the view or command that owns the request does."""

import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import DbSession
from insights.nextsteps.models import NextStep
from insights.roundups.content import SECTIONS, build_content
from insights.roundups.models import ROUNDUP_VISIBILITIES, Comment, Endorsement, RoundUp
from insights.timeutil import utcnow
from insights.workshops.models import Workshop

COMMENT_MAX = 4000
# A new round-up starts with no story: the editor suggests one (as the narrative field's
# placeholder) and the draft says it is missing, so no reader is ever shown placeholder text.
NARRATIVE_PROMPT = (
    "## What we heard\n\nWhat stood out, what surprised the group, and what happens next."
)


class RoundUpError(ValueError):
    """A round-up request that cannot be done, with a message for the person."""


class RoundUpConflict(RoundUpError):
    """Someone else saved the round-up after the editor opened it."""

    def __init__(self, current: RoundUp, message: str) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Edit:
    """What a facilitator may change in a round-up."""

    title: str
    narrative_md: str
    hidden: tuple[str, ...] = ()


def versions(session: DbSession, workshop: Workshop, *, published_only: bool) -> list[RoundUp]:
    """The workshop's round-up versions, newest first (drafts left out for readers)."""
    query = sa.select(RoundUp).where(RoundUp.workshop_id == workshop.id)
    if published_only:
        query = query.where(RoundUp.status == "published")
    return list(session.scalars(query.order_by(RoundUp.number.desc())))


def latest(session: DbSession, workshop: Workshop, *, published_only: bool) -> RoundUp | None:
    """The newest version: the newest published one for readers."""
    found = versions(session, workshop, published_only=published_only)
    return found[0] if found else None


def generate(session: DbSession, workshop: Workshop, user: User | None) -> RoundUp:
    """Draw the round-up afresh from the workshop: refreshes the open draft, else starts the
    next version (keeping the title, narrative and hidden sections of the last one)."""
    last = latest(session, workshop, published_only=False)
    content = build_content(session, workshop)
    if last is not None and last.status == "draft":
        last.content = {**content, "hidden": list(last.content.get("hidden", []))}
        return last
    roundup = RoundUp(
        workshop_id=workshop.id,
        number=last.number + 1 if last else 1,
        title=last.title if last else f"Round-up: {workshop.title}",
        narrative_md=last.narrative_md if last else "",
        content={
            **content,
            "hidden": list(last.content.get("hidden", [])) if last else content["hidden"],
        },
        status="draft",
        visibility="members",
        created_by_id=user.id if user else None,
    )
    session.add(roundup)
    session.flush()
    return roundup


def edit(
    session: DbSession, roundup: RoundUp, expected_version: int, change: Edit, user: User
) -> RoundUp:
    """Save an edit: in place on the open draft, as the next version of a published one.
    A stale form (someone saved since it was opened) raises RoundUpConflict."""
    title = change.title.strip()
    if not title:
        raise RoundUpError("A round-up needs a title.")
    unknown = set(change.hidden) - {key for key, _ in SECTIONS}
    if unknown:
        raise RoundUpError(f"Unknown sections: {', '.join(sorted(unknown))}.")
    newest = latest(session, _workshop(session, roundup), published_only=False)
    if newest is not None and newest.id != roundup.id:
        raise RoundUpConflict(newest, f"Version {newest.number} was made after you opened this.")
    if roundup.version != expected_version:
        raise RoundUpConflict(roundup, "Someone else saved this round-up after you opened it.")
    target = roundup if roundup.status == "draft" else _next_version(session, roundup, user)
    target.title = title
    target.narrative_md = change.narrative_md
    target.content = {**target.content, "hidden": list(change.hidden)}
    return target


def _workshop(session: DbSession, roundup: RoundUp) -> Workshop:
    """The round-up's workshop."""
    workshop = session.get(Workshop, roundup.workshop_id)
    assert workshop is not None
    return workshop


def _next_version(session: DbSession, roundup: RoundUp, user: User) -> RoundUp:
    """A draft copy of a published round-up, numbered after it."""
    copy = RoundUp(
        workshop_id=roundup.workshop_id,
        number=roundup.number + 1,
        title=roundup.title,
        narrative_md=roundup.narrative_md,
        content=dict(roundup.content),
        status="draft",
        visibility="members",
        created_by_id=user.id,
    )
    session.add(copy)
    return copy


def publish(
    roundup: RoundUp,
    expected_version: int,
    visibility: str,
    *,
    session: DbSession | None = None,
    by: User | None = None,
) -> None:
    """Publish a draft to the workshop's members, or also at an unguessable public link."""
    if roundup.status != "draft":
        raise RoundUpError("This version is already published; edit it to make a new one.")
    if visibility not in ROUNDUP_VISIBILITIES:
        raise RoundUpError(f"Unknown visibility {visibility!r}.")
    if roundup.version != expected_version:
        raise RoundUpConflict(roundup, "Someone else saved this round-up after you opened it.")
    roundup.status = "published"
    roundup.published_at = utcnow()
    roundup.visibility = visibility
    _open_or_close_link(roundup)
    if session is not None:
        _record_sharing(session, roundup, by, "roundup.publish", {"status": "draft"})


def share(
    roundup: RoundUp, visibility: str, *, session: DbSession | None = None, by: User | None = None
) -> None:
    """Open a published round-up's public link (a new secret each time), or close it."""
    if visibility not in ROUNDUP_VISIBILITIES:
        raise RoundUpError(f"Unknown visibility {visibility!r}.")
    if roundup.status != "published":
        raise RoundUpError("Only a published round-up can be shared.")
    before = {"visibility": roundup.visibility}
    roundup.visibility = visibility
    _open_or_close_link(roundup)
    if session is not None and before["visibility"] != visibility:
        action = "roundup.share_public" if visibility == "public" else "roundup.unshare_public"
        _record_sharing(session, roundup, by, action, before)


def _open_or_close_link(roundup: RoundUp) -> None:
    """A public round-up has a secret link; one shared with members only has none."""
    if roundup.visibility == "public" and not roundup.public_token:
        roundup.public_token = secrets.token_urlsafe(32)
    elif roundup.visibility == "members":
        roundup.public_token = None


def _record_sharing(
    session: DbSession, roundup: RoundUp, by: User | None, action: str, before: dict[str, Any]
) -> None:
    """Audit who published or shared which version, and whether it is at a public link."""
    record(
        session,
        action,
        "roundup",
        roundup.id,
        user_id=by.id if by else None,
        workshop_id=roundup.workshop_id,
        before=before,
        after={
            "status": roundup.status,
            "visibility": roundup.visibility,
            "public_link": bool(roundup.public_token),
        },
        number=roundup.number,
    )


def find_public(session: DbSession, token: str) -> RoundUp | None:
    """The published round-up whose public link this is, while the link is open."""
    if not token or len(token) < 20:
        return None
    # Its content and narrative wait until drawn: the reader's page draws its body once per
    # version (then it is cached), so most reads need neither parsed.
    heavy = (sa.orm.defer(RoundUp.content), sa.orm.defer(RoundUp.narrative_md))
    found = sa.select(RoundUp).where(RoundUp.public_token == token).options(*heavy)
    roundup = session.scalar(found)
    if roundup is None or roundup.status != "published" or roundup.visibility != "public":
        return None
    return roundup


def add_comment(
    session: DbSession, target_type: str, target_id: int, author: User, body: str
) -> Comment:
    """A member's comment on a round-up ("roundup") or on a next step ("next-step")."""
    body = body.strip()
    if not body:
        raise RoundUpError("Write something before sending the comment.")
    if len(body) > COMMENT_MAX:
        raise RoundUpError(f"A comment may be at most {COMMENT_MAX} characters.")
    comment = Comment(target_type=target_type, target_id=target_id, author_id=author.id, body=body)
    session.add(comment)
    return comment


def comments_on(
    session: DbSession, target_type: str, ids: list[int]
) -> dict[int, list[tuple[Comment, str]]]:
    """Target id → its comments with their authors' names, oldest first."""
    found: dict[int, list[tuple[Comment, str]]] = {}
    if not ids:
        return found
    rows = session.execute(
        sa.select(Comment, User.name)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.target_type == target_type, Comment.target_id.in_(ids))
        .where(Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )
    for comment, name in rows:
        found.setdefault(comment.target_id, []).append((comment, name or "A former member"))
    return found


def step_of_workshop(session: DbSession, workshop: Workshop, step_id: int) -> NextStep | None:
    """A live next step of this workshop."""
    step = session.get(NextStep, step_id)
    if step is None or step.workshop_id != workshop.id or step.deleted_at is not None:
        return None
    return step


def toggle_endorsement(session: DbSession, step: NextStep, user: User) -> bool:
    """Endorse a next step, or withdraw the endorsement; returns whether it is now endorsed."""
    existing = session.get(Endorsement, (step.id, user.id))
    if existing is not None:
        session.delete(existing)
        return False
    session.add(Endorsement(next_step_id=step.id, user_id=user.id))
    return True


def endorsements(session: DbSession, step_ids: list[int], user: User) -> dict[str, Any]:
    """How many endorse each next step, and which ones this person endorses."""
    if not step_ids:
        return {"counts": {}, "mine": set()}
    rows = session.execute(
        sa.select(Endorsement.next_step_id, Endorsement.user_id).where(
            Endorsement.next_step_id.in_(step_ids)
        )
    ).all()
    counts: dict[int, int] = {}
    for step_id, _ in rows:
        counts[step_id] = counts.get(step_id, 0) + 1
    return {"counts": counts, "mine": {s for s, u in rows if u == user.id}}

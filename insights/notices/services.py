"""Telling people what is new for them: a vote opened, a round-up published, a comment on
their post. Notices are rows shown on the home page; with SMTP configured they are also
emailed, after the change that made them is committed."""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import DbSession
from insights.nextsteps.models import NextStep
from insights.notices.models import Notice
from insights.roundups.models import Comment, RoundUp
from insights.timeutil import utcnow
from insights.voting.models import VoteRound
from insights.workshops.models import Workshop, WorkshopMember

log = logging.getLogger(__name__)
NEWS_LIMIT = 8
SMTP_TIMEOUT = 10  # seconds; a mail server that hangs must not hang the page


@dataclass(frozen=True)
class MailSettings:
    """Where notices are emailed from and through; no server means no email."""

    server: str
    port: int = 25
    sender: str = "workshop-insights@localhost"
    username: str = ""
    password: str = ""
    starttls: bool = False


def members_of(session: DbSession, workshop: Workshop, *, leaving_out: User | None) -> list[User]:
    """The workshop's members and facilitators (active accounts), except the one acting."""
    query = (
        sa.select(User)
        .join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop.id)
        .order_by(User.id)
    )
    if leaving_out is not None:
        query = query.where(User.id != leaving_out.id)
    return [u for u in session.scalars(query) if getattr(u, "active", True)]


def notify(
    session: DbSession, users: Iterable[User], workshop: Workshop, kind: str, message: str, url: str
) -> list[Notice]:
    """One notice for each of these people (once each)."""
    notices = []
    for user in dict.fromkeys(users):
        notice = Notice(
            user_id=user.id, workshop_id=workshop.id, kind=kind, message=message[:400], url=url
        )
        session.add(notice)
        notices.append(notice)
    session.flush()
    return notices


def notify_vote_opened(
    session: DbSession, workshop: Workshop, vote_round: VoteRound, by: User | None, url: str
) -> list[Notice]:
    """Every member hears that a dot vote opened in their workshop."""
    message = f"A vote opened in “{workshop.title}”: {vote_round.title}"
    people = members_of(session, workshop, leaving_out=by)
    return notify(session, people, workshop, "vote-opened", message, url)


def notify_roundup_published(
    session: DbSession, workshop: Workshop, roundup: RoundUp, by: User | None, url: str
) -> list[Notice]:
    """Every member hears that the workshop's round-up is published."""
    message = f"The round-up of “{workshop.title}” is published: {roundup.title}"
    people = members_of(session, workshop, leaving_out=by)
    return notify(session, people, workshop, "roundup-published", message, url)


def notify_comment(
    session: DbSession, workshop: Workshop, comment: Comment, author: User, url: str
) -> list[Notice]:
    """Those whose post it answers hear of a comment: whoever proposed the next step, and
    everyone who commented on the same thing before."""
    earlier = sa.select(Comment.author_id).where(
        Comment.target_type == comment.target_type,
        Comment.target_id == comment.target_id,
        Comment.deleted_at.is_(None),
        Comment.id != comment.id,
    )
    ids = set(session.scalars(earlier))
    if comment.target_type == "next-step":
        step = session.get(NextStep, comment.target_id)
        ids.add(step.created_by_id if step is not None else None)
    ids.discard(None)
    ids.discard(author.id)
    people = session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)).all()
    message = f"{author.name} replied in “{workshop.title}”: {comment.body[:120]}"
    return notify(session, people, workshop, "comment", message, url)


def news_for(session: DbSession, user: User, limit: int = NEWS_LIMIT) -> list[Notice]:
    """What is new for this person: unseen notices first, newest first."""
    return list(
        session.scalars(
            sa.select(Notice)
            .where(Notice.user_id == user.id)
            .order_by(Notice.read_at.is_not(None), Notice.id.desc())
            .limit(limit)
        )
    )


def mark_seen(session: DbSession, user: User) -> int:
    """Mark every notice of this person as seen; returns how many were new."""
    result = session.execute(
        sa.update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def email_notices(
    session: DbSession, settings: MailSettings | None, notices: Sequence[Notice], base_url: str
) -> int:
    """Email each notice to its person through the SMTP server; returns how many were sent.
    A mail failure is logged and leaves the notices on the home page: it never breaks a page."""
    if settings is None or not settings.server or not notices:
        return 0
    users = {
        u.id: u
        for u in session.scalars(sa.select(User).where(User.id.in_({n.user_id for n in notices})))
    }
    sent = 0
    try:
        with smtplib.SMTP(settings.server, settings.port, timeout=SMTP_TIMEOUT) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, settings.password)
            for notice in notices:
                user = users.get(notice.user_id)
                if user is None or not user.email:
                    continue
                smtp.send_message(notice_email(settings.sender, user, notice, base_url))
                notice.emailed_at = utcnow()
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Could not email %d notices: %s", len(notices), error)
    return sent


def notice_email(sender: str, user: User, notice: Notice, base_url: str) -> EmailMessage:
    """The email for one notice: what happened, and the link to it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = user.email
    message["Subject"] = notice.message[:120]
    link = base_url.rstrip("/") + notice.url if notice.url.startswith("/") else notice.url
    message.set_content(
        f"Hello {user.name},\n\n{notice.message}\n\nOpen it: {link}\n\n"
        "You get this because you are a member of the workshop."
    )
    return message

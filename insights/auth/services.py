"""Account services: creating users and checking log-ins, with lock-out after repeated failures."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash
from zxcvbn import zxcvbn

from insights.audit.services import record
from insights.auth.models import ROLES, User
from insights.extensions import DbSession
from insights.timeutil import utcnow

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score runs 0 (a top-100 password) to 4; 3 means "safely unguessable" online.
MIN_PASSWORD_SCORE = 3
# zxcvbn's time grows with length; what makes a long password strong is in its first 100.
SCORED_LENGTH = 100
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(ValueError):
    """A request about an account that cannot be done, with a message for the person."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a log-in attempt: the user, or why not (said the same for any cause)."""

    user: User | None
    locked: bool = False


def normalise_email(email: str) -> str:
    """Emails are compared without case or surrounding spaces."""
    return email.strip().lower()


def check_new_password(password: str, *about_the_person: str) -> None:
    """Refuse passwords too short, all digits, or easy to guess (a zxcvbn score under 3,
    counting the person's own email and name as guessable)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if password.isdigit():
        raise AccountError("A password of digits only is easy to guess: use words as well.")
    hints = [*about_the_person]
    hints += [part for text in about_the_person for part in text.replace("@", " ").split()]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=hints[:20])
    if result["score"] < MIN_PASSWORD_SCORE:
        warning = result["feedback"].get("warning") or "It would be easy to guess."
        raise AccountError(
            f"That password is too easy to guess. {warning} Try three or four unrelated words."
        )


def create_user(session: DbSession, email: str, name: str, role: str, password: str) -> User:
    """Add a new account; refuses unknown roles, taken emails and short passwords."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address.")
    if find_user(session, email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    check_new_password(password, email, name)
    user = User(email=email, name=name.strip() or email.split("@")[0], role=role)
    user.set_password(password)
    session.add(user)
    return user


def find_user(session: DbSession, email: str) -> User | None:
    """The account with this email, if any."""
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: treat them as the UTC they were stored as."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def attempt_login(
    session: DbSession, email: str, password: str, *, max_failures: int, lockout_minutes: int
) -> LoginResult:
    """Check a log-in; after max_failures wrong passwords the account is locked for a while."""
    user = find_user(session, email)
    if user is None:
        # The same work as a real check, so the time taken says nothing about the account.
        User(password_hash=_DUMMY_HASH).check_password(password)
        return LoginResult(None)
    now = utcnow()
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        user.check_password(password)  # as long as any other refusal; the answer is ignored
        return LoginResult(None, locked=True)
    if not user.check_password(password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
        return LoginResult(None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def change_password(user: User, current: str, new: str, session: DbSession | None = None) -> None:
    """Change a password after checking the current one; every other session ends."""
    if not user.check_password(current):
        raise AccountError("The current password is not right.")
    check_new_password(new, user.email, user.name)
    user.set_password(new)
    end_sessions(user)
    if session is not None:
        record(session, "user.password", "user", user.id, user_id=user.id)


def end_sessions(user: User) -> None:
    """Every session made before now stops working at its next request (see load_user)."""
    user.session_generation = (user.session_generation or 0) + 1

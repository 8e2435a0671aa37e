"""Account services: creating users and checking log-ins, with lock-out after repeated failures."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from insights.auth.models import ROLES, User
from insights.extensions import DbSession
from insights.timeutil import utcnow

MIN_PASSWORD_LENGTH = 10
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


def check_new_password(password: str) -> None:
    """Refuse passwords too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")


def create_user(session: DbSession, email: str, name: str, role: str, password: str) -> User:
    """Add a new account; refuses unknown roles, taken emails and short passwords."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address.")
    if find_user(session, email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    check_new_password(password)
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
        User(password_hash=_DUMMY_HASH).check_password(password)
        return LoginResult(None)
    now = utcnow()
    if user.locked_until is not None and as_utc(user.locked_until) > now:
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


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one."""
    if not user.check_password(current):
        raise AccountError("The current password is not right.")
    check_new_password(new)
    user.set_password(new)

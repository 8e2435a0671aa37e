"""Rate limits shared by the pages that take posts from outside, and the keys they count by.

A room of fifty people behind one NAT shares one address, so counting by address alone
refuses most of them (60 of 1,000 posts got in). Each limit here counts by who is asking:
a participant's device, a signed-in account, or the email a log-in names, with a much
higher cap per address on top, so one address cannot flood the server either.
"""

import hashlib
import hmac
import re
import secrets

from flask import current_app, request, session
from flask_login import current_user

# A participant's device: a random key kept in their browser's session (and, on the ballot,
# in localStorage, so clearing cookies does not make a new voter).
DEVICE_SESSION_KEY = "participant_device"
DEVICE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def client_address() -> str:
    """The client's address, as werkzeug's ProxyFix left it (see INSIGHTS_PROXY_COUNT)."""
    return request.remote_addr or "unknown"


def address_key() -> str:
    """Count by client address."""
    return "address:" + client_address()


def hashed_address() -> str:
    """The client's address as a keyed hash: stored with a dot, never the address itself."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, client_address().encode(), hashlib.sha256).hexdigest()


def device_key(offered: str | None = None) -> str:
    """This participant's device key: the one their browser offers if well formed, else the
    one in their session, else a new one. It is kept in the session either way."""
    for candidate in (offered, session.get(DEVICE_SESSION_KEY)):
        if isinstance(candidate, str) and DEVICE_PATTERN.fullmatch(candidate):
            session[DEVICE_SESSION_KEY] = candidate
            return candidate
    key = secrets.token_urlsafe(18)
    session[DEVICE_SESSION_KEY] = key
    return key


def remember_participant() -> None:
    """Give this phone a device key in its (signed) session, when it has none yet."""
    device_key()


def participant_key() -> str:
    """Whom a participant post counts against: the phone's device key, so a room of phones
    behind one venue address is not limited as one; the address when the client kept no
    session and offers no key (it cannot shed its limit by dropping cookies)."""
    offered = request.form.get("device") if request.method == "POST" else None
    for candidate in (offered, session.get(DEVICE_SESSION_KEY)):
        if isinstance(candidate, str) and DEVICE_PATTERN.fullmatch(candidate):
            return "participant:" + candidate
    return address_key()


def account_key() -> str:
    """Count by signed-in account; visitors who are not signed in count by address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return address_key()


def login_account_key() -> str:
    """Count log-in attempts by the account they name (the email, as it is compared)."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return "login:" + hashlib.sha256(email.encode()).hexdigest()


def _limit(name: str) -> str:
    """A limit string from the configuration, e.g. "30 per minute"."""
    return str(current_app.config[name])


def participant_limit() -> str:
    """Posts allowed per participant device (PARTICIPANT_POST_LIMIT)."""
    return _limit("PARTICIPANT_POST_LIMIT")


def room_limit() -> str:
    """Participant posts allowed per address, a whole room behind one NAT (ROOM_POST_LIMIT)."""
    return _limit("ROOM_POST_LIMIT")


def login_limit() -> str:
    """Log-in attempts allowed per address (LOGIN_POST_LIMIT)."""
    return _limit("LOGIN_POST_LIMIT")


def login_account_limit() -> str:
    """Log-in attempts allowed per account named (LOGIN_ACCOUNT_LIMIT)."""
    return _limit("LOGIN_ACCOUNT_LIMIT")

"""The domain's states and kinds, one enum each; the tables carry matching check constraints."""

from enum import StrEnum


class Role(StrEnum):
    """An account's role on the site."""

    ADMIN = "admin"
    FACILITATOR = "facilitator"
    LEAD = "lead"
    MEMBER = "member"


class MemberRole(StrEnum):
    """A person's role within one workshop."""

    FACILITATOR = "facilitator"
    MEMBER = "member"


class WorkshopStatus(StrEnum):
    """A workshop's life: draft, then live (taking post-its), then closed."""

    DRAFT = "draft"
    LIVE = "live"
    CLOSED = "closed"


class StatementKind(StrEnum):
    """What a post-it is about."""

    NEED = "need"
    SOURCE = "source"
    CHALLENGE = "challenge"
    COLLECTED = "collected"
    IDEA = "idea"
    NEXT_STEP = "next-step"


class StatementSource(StrEnum):
    """How a post-it came in."""

    CAPTURE = "capture"
    PARTICIPANT = "participant"
    PASTE = "paste"
    IMPORT = "import"
    SPLIT = "split"
    DEMO = "demo"
    CARRIED = "carried"


class NeedStatus(StrEnum):
    """Whether a structured need has been judged."""

    PROPOSED = "proposed"
    VALID = "valid"
    DUPLICATE = "duplicate"
    NOT_VALID = "not-valid"


class TagSource(StrEnum):
    """Where a theme tag came from."""

    RULE = "rule"
    MODEL = "model"
    PERSON = "person"


class Decision(StrEnum):
    """A person's decision on a suggested theme tag."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class LinkStatus(StrEnum):
    """A need-to-dataset link's standing."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class LinkCoverage(StrEnum):
    """How far a confirmed dataset serves a need."""

    SERVES = "serves"
    PARTLY_SERVES = "partly-serves"


class NextStepStatus(StrEnum):
    """Where a next step has got to."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    PARKED = "parked"


class VoteStatus(StrEnum):
    """A dot vote round is open or closed."""

    OPEN = "open"
    CLOSED = "closed"


class RoundUpStatus(StrEnum):
    """A round-up version is a draft or published."""

    DRAFT = "draft"
    PUBLISHED = "published"


class RequestStatus(StrEnum):
    """A data request's life: drafted, sent, then answered or declined."""

    DRAFTED = "drafted"
    SENT = "sent"
    ANSWERED = "answered"
    DECLINED = "declined"


class CarryMode(StrEnum):
    """Carrying an item to the next workshop: move it there, or copy it and keep the original."""

    MOVE = "move"
    COPY = "copy"


class JobStatus(StrEnum):
    """A background job's state."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class StandardStatus(StrEnum):
    """A version of a data standard is a draft (being edited) or published (frozen)."""

    DRAFT = "draft"
    PUBLISHED = "published"


class SubmissionStatus(StrEnum):
    """A submission waits for confirmation, counts in the pool, or was replaced (history)."""

    PENDING = "pending"
    CURRENT = "current"
    REPLACED = "replaced"


class SubmissionShape(StrEnum):
    """A submission holds one row per responding organisation, or counts already added up."""

    ROWS = "rows"
    AGGREGATES = "aggregates"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enum's values, in order, as plain strings (for choices and constraints)."""
    return tuple(member.value for member in enum)


def check_in(column: str, enum: type[StrEnum]) -> str:
    """SQL for a check constraint that keeps a column to the enum's values."""
    allowed = ", ".join(f"'{value}'" for value in values(enum))
    return f"{column} IN ({allowed})"


# Site roles that manage content beyond reading it.
MANAGERS = (Role.FACILITATOR.value, Role.LEAD.value)

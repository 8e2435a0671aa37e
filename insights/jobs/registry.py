"""The handlers: one function per kind of job, registered with @job_handler("kind")."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from insights.jobs.worker import JobContext

Handler = Callable[["JobContext"], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {}


class UnknownJobKind(LookupError):
    """No handler is registered for this kind of job."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of jobs of this kind."""

    def register(handler: Handler) -> Handler:
        existing = HANDLERS.get(kind)
        if existing is not None and existing.__qualname__ != handler.__qualname__:
            raise ValueError(f"Two handlers for jobs of kind {kind!r}.")
        HANDLERS[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> Handler:
    """The handler of this kind of job."""
    try:
        return HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None

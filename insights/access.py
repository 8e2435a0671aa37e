"""Who may open which page: every view declares its roles, and unmarked views are refused."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC_ENDPOINTS = frozenset({"static"})


def roles_required(*roles: str) -> Callable[[F], F]:
    """Let in signed-in users holding one of the roles (admins always); refuse everyone else."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view open to visitors who are not signed in (log-in, health, participant link)."""
    view.allowed_roles = "public"  # type: ignore[attr-defined]
    return view


def allowed_roles(view: Callable[..., Any]) -> tuple[str, ...] | str | None:
    """The roles a view declared, "public", or None when it declared nothing."""
    return getattr(view, "allowed_roles", None)


def refuse_undeclared_views() -> None:
    """Before each request: a view that declares no roles is refused, so none is open by mistake."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return
    view = current_app.view_functions.get(endpoint)
    if view is not None and allowed_roles(view) is None:
        abort(403)

"""Friendly error pages: a plain explanation, never a stack trace."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("You don't have access to this page", "Ask a facilitator or an admin if you need it."),
    404: ("Page not found", "The page may have moved, or the link may be mistyped."),
    405: ("That action isn't possible here", "Please go back and use the buttons on the page."),
    409: ("Someone else changed this first", "Reload the page to see the latest version."),
    413: ("That file is too large", "Uploads may be at most 10 MB."),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Your work up to the last save is kept. Try again."),
}


def render_error(status: int, detail: str | None = None) -> tuple[str, int]:
    """Render the error page for a status code, with an optional extra sentence."""
    title, advice = MESSAGES.get(status, MESSAGES[500])
    page = render_template(
        "errors/error.html", status=status, title=title, advice=advice, detail=detail
    )
    return page, status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    """Any HTTP error raised by a view or by Flask."""
    status = error.code or 500
    detail = error.description if status in (400, 409, 429) and error.description else None
    if status == 400 and detail and detail.startswith("The browser (or proxy)"):
        detail = None
    return render_error(status, detail)


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    """A form posted without a valid CSRF token, usually a page left open too long."""
    return render_error(
        400,
        "The form had expired or was not sent from this site. Reload the page and send it again.",
    )


def handle_unexpected_error(error: Exception) -> tuple[str, int]:
    """An exception no view handled: log it, show the friendly page."""
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register_errorhandlers(app: Flask) -> None:
    """Install the friendly pages for every error."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)

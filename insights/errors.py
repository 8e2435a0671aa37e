"""Friendly error pages: a plain explanation, never a stack trace."""

from html import escape

from flask import Flask, Response, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from insights.security import add_security_headers

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


def render_error(status: int, detail: str | None = None) -> Response:
    """Render the error page for a status code, with an optional extra sentence. It never
    fails: a failed transaction is rolled back first, and if the page itself cannot be drawn
    (the database is down, say) a plain page goes out, with the same security headers."""
    title, advice = MESSAGES.get(status, MESSAGES[500])
    _roll_back()
    try:
        page = render_template(
            "errors/error.html", status=status, title=title, advice=advice, detail=detail
        )
    except Exception:  # noqa: BLE001  (the page of last resort must not raise)
        current_app.logger.exception("The error page could not be drawn")
        page = PLAIN_PAGE.format(status=status, title=escape(title), advice=escape(advice))
    return add_security_headers(Response(page, status=status, mimetype="text/html"))


PLAIN_PAGE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><main><p>Error {status}</p><h1>{title}</h1><p>{advice}</p>"
    '<p><a href="/">Go to the start page</a></p></main></body></html>'
)


def _roll_back() -> None:
    """End a failed transaction, so drawing the page (who is signed in) can query again."""
    from insights.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        current_app.logger.exception("Rolling back before the error page failed")


def handle_http_error(error: HTTPException) -> Response:
    """Any HTTP error raised by a view or by Flask."""
    status = error.code or 500
    detail = error.description if status in (400, 409, 429) and error.description else None
    if status == 400 and detail and detail.startswith("The browser (or proxy)"):
        detail = None
    return render_error(status, detail)


def handle_csrf_error(error: CSRFError) -> Response:
    """A form posted without a valid CSRF token, usually a page left open too long."""
    return render_error(
        400,
        "The form had expired or was not sent from this site. Reload the page and send it again.",
    )


def handle_stale_save(error: StaleDataError) -> Response:
    """Two people saved the same thing at the same moment: the second gets the conflict
    page (nothing of theirs was written), never a server error."""
    return render_error(409, "Someone saved this at the same moment as you; yours was not saved.")


def handle_unexpected_error(error: Exception) -> Response:
    """An exception no view handled: log it, show the friendly page."""
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register_errorhandlers(app: Flask) -> None:
    """Install the friendly pages for every error."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(StaleDataError, handle_stale_save)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)

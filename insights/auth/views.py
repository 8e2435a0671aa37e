"""Log in, log out, change password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from insights.auth.models import ROLES, User
from insights.auth.services import AccountError, attempt_login, change_password, end_sessions
from insights.core.ids import valid_id
from insights.core.limits import address_key, login_account_key, login_account_limit, login_limit
from insights.core.navigation import safe_next
from insights.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")


# The account's session generation when this session signed in: logout and a password change
# bump the account's, so every session made before then (a copied cookie too) ends.
GENERATION_KEY = "_generation"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login: the account behind a session, if the session is still of its generation."""
    user = db.session.get(User, int(user_id)) if valid_id(user_id) else None
    if user is None or session.get(GENERATION_KEY) != user.session_generation:
        return None
    return user


def sign_in(user: User) -> None:
    """Start a session for the account, of its current generation."""
    login_user(user)
    session[GENERATION_KEY] = user.session_generation


LOGIN_REFUSED = (
    "That email and password don't match an account, or the account is locked after too "
    "many failed attempts. Check them, or wait a few minutes and try again."
)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_limit, key_func=address_key, methods=["POST"])
@limiter.limit(login_account_limit, key_func=login_account_key, methods=["POST"])
def login() -> str | Response:
    """Show the log-in form and sign the person in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = attempt_login(
            db.session,
            form.email.data or "",
            form.password.data or "",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lockout_minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
        )
        db.session.commit()
        if result.user is not None:
            sign_in(result.user)
            return redirect(safe_next(request.args.get("next")))
        # One message for a wrong password, an unknown email and a locked account alike.
        flash(LOGIN_REFUSED, "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no other site can log you out)."""
    if LogoutForm().validate_on_submit():
        end_sessions(current_user)
        db.session.commit()
        logout_user()
        session.pop(GENERATION_KEY, None)
        flash("You have logged out, here and on every other device.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ROLES)
def password() -> str | Response:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            current, new = form.current.data or "", form.new.data or ""
            change_password(current_user, current, new, db.session)
        except AccountError as error:
            form.current.errors = [str(error)]
        else:
            db.session.commit()
            session[GENERATION_KEY] = current_user.session_generation
            flash(
                "Your password has been changed; any other session has been logged out.", "success"
            )
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)

"""Log in, log out, change password."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from insights.auth.models import ROLES, User
from insights.auth.services import AccountError, attempt_login, change_password
from insights.core.navigation import safe_next
from insights.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login: the account behind a session."""
    return db.session.get(User, int(user_id)) if user_id.isdecimal() else None


def login_limit() -> str:
    """Log-in attempts allowed per client (configurable as LOGIN_POST_LIMIT)."""
    return str(current_app.config["LOGIN_POST_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_limit, methods=["POST"])
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
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")))
        if result.locked:
            flash("Too many failed attempts: this account is locked for a few minutes.", "error")
        else:
            flash("That email and password don't match an account.", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    """Sign out (a POST with a CSRF token, so no other site can log you out)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ROLES)
def password() -> str | Response:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data or "", form.new.data or "")
        except AccountError as error:
            form.current.errors = [str(error)]
        else:
            db.session.commit()
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)

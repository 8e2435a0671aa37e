"""Round-up pages: the round-up and its versions, generate, edit (with conflict page), publish
and share, comments and endorsements, downloads, and the public link.

Who: facilitators of the workshop (and admins) generate, edit and publish and see drafts;
everyone who may open the workshop reads its published versions, comments and endorses; the
public link reaches its one round-up, without logging in."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.core.cache import cached
from insights.core.downloads import attachment as download_file
from insights.core.forms import ButtonForm
from insights.core.lookups import facilitated_or_403, workshop_or_404
from insights.extensions import db
from insights.notices.delivery import deliver
from insights.notices.services import notify_comment, notify_roundup_published
from insights.roundups.content import SECTIONS
from insights.roundups.exports import (
    DOCUMENT_FORMATS,
    FORMATS,
    body_context,
    export,
    filename,
)
from insights.roundups.forms import CommentForm, EditForm, PublishForm
from insights.roundups.models import RoundUp
from insights.roundups.outline import long_date, version_line, workshop_line
from insights.roundups.services import (
    Edit,
    RoundUpConflict,
    RoundUpError,
    add_comment,
    comments_on,
    edit,
    endorsements,
    find_public,
    generate,
    latest,
    publish,
    share,
    step_of_workshop,
    toggle_endorsement,
    versions,
)
from insights.versioning import submitted_version
from insights.workshops.models import Workshop
from insights.workshops.services import can_facilitate

bp = Blueprint("roundups", __name__)


@bp.app_context_processor
def roundup_helpers() -> dict[str, Any]:
    """Lines the round-up templates print under the title, and dates as people write them."""
    return {
        "roundup_workshop_line": workshop_line,
        "roundup_version_line": version_line,
        "roundup_long_date": long_date,
    }


def facilitates(workshop: Workshop) -> bool:
    """Whether the signed-in person runs this workshop (or is an admin)."""
    return can_facilitate(db.session, current_user, workshop)


def readable_or_404(slug: str, roundup_id: int) -> tuple[Workshop, RoundUp]:
    """A round-up of a workshop the person may open; drafts only for its facilitators."""
    workshop = workshop_or_404(slug)
    roundup = db.session.get(RoundUp, roundup_id)
    if roundup is None or roundup.workshop_id != workshop.id:
        abort(404)
    if roundup.status != "published" and not facilitates(workshop):
        abort(404)
    return workshop, roundup


def editable_or_404(slug: str, roundup_id: int) -> tuple[Workshop, RoundUp]:
    """A round-up of a workshop the person facilitates."""
    workshop = facilitated_or_403(slug)
    roundup = db.session.get(RoundUp, roundup_id)
    if roundup is None or roundup.workshop_id != workshop.id:
        abort(404)
    return workshop, roundup


def page_path(workshop: Workshop, roundup: RoundUp) -> str:
    """The round-up's page on this site (for notices)."""
    return url_for("roundups.show", slug=workshop.slug, roundup_id=roundup.id)


def to_roundup(workshop: Workshop, roundup: RoundUp, anchor: str = "") -> Response:
    """Back to a round-up's page."""
    url = url_for("roundups.show", slug=workshop.slug, roundup_id=roundup.id)
    return redirect(url + anchor)


@bp.route("/workshops/<slug>/roundup")
@roles_required(*ROLES)
def newest(slug: str) -> str:
    """The newest round-up the person may read (the draft, for facilitators)."""
    workshop = workshop_or_404(slug)
    roundup = latest(db.session, workshop, published_only=not facilitates(workshop))
    if roundup is None:
        return render_template(
            "roundups/none.html",
            workshop=workshop,
            may_edit=facilitates(workshop),
            button=ButtonForm(),
        )
    return render_page(workshop, roundup)


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>")
@roles_required(*ROLES)
def show(slug: str, roundup_id: int) -> str:
    """One version of the round-up."""
    return render_page(*readable_or_404(slug, roundup_id))


def render_page(workshop: Workshop, roundup: RoundUp) -> str:
    """The round-up page with what the person may do on it."""
    may_edit = facilitates(workshop)
    readable = versions(db.session, workshop, published_only=not may_edit)
    return render_template(
        "roundups/show.html",
        workshop=workshop,
        roundup=roundup,
        versions=readable,
        newest=readable[0] if readable else roundup,
        may_edit=may_edit,
        interactive=roundup.status == "published",
        button=ButtonForm(),
        publish_form=PublishForm(version=str(roundup.version)),
        comment_form=CommentForm(prefix="roundup"),
        formats=FORMATS,
        **body_context(roundup),
        **conversation(workshop, roundup, readable),
    )


def conversation(workshop: Workshop, roundup: RoundUp, readable: list[RoundUp]) -> dict[str, Any]:
    """Comments on every readable version, and on the next steps, with endorsements."""
    steps = [
        step["id"]
        for step in roundup.content.get("next_steps", [])
        if step.get("id") and step_of_workshop(db.session, workshop, step["id"])
    ]
    numbers = {r.id: r.number for r in readable}
    on_roundup = comments_on(db.session, "roundup", list(numbers))
    return {
        "comments": [
            (numbers[rid], comment, name)
            for rid in sorted(on_roundup)
            for comment, name in on_roundup[rid]
        ],
        "live_steps": set(steps),
        "step_comments": comments_on(db.session, "next-step", steps),
        "endorsed": endorsements(db.session, steps, current_user),
        "step_form": lambda step_id: CommentForm(prefix=f"step{step_id}", formdata=None),
    }


@bp.route("/workshops/<slug>/roundup/versions")
@roles_required(*ROLES)
def history(slug: str) -> str:
    """Every version the person may read, newest first."""
    workshop = workshop_or_404(slug)
    found = versions(db.session, workshop, published_only=not facilitates(workshop))
    return render_template("roundups/versions.html", workshop=workshop, versions=found)


@bp.route("/workshops/<slug>/roundup/generate", methods=["POST"])
@roles_required("facilitator")
def generate_view(slug: str) -> Response:
    """Draw the round-up from the workshop: refresh the draft, or start the next version."""
    workshop = facilitated_or_403(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        roundup = generate(db.session, workshop, current_user)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()  # someone else drew or saved a version at the same moment
        flash("Someone else changed the round-up at the same moment: here is theirs.", "error")
        return redirect(url_for("roundups.newest", slug=workshop.slug))
    flash(f"Version {roundup.number} is a draft, drawn from the workshop as it is now.", "success")
    return to_roundup(workshop, roundup)


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>/edit", methods=["GET", "POST"])
@roles_required("facilitator")
def edit_view(slug: str, roundup_id: int) -> str | Response | tuple[str, int]:
    """Edit the title, narrative and sections; a published version is kept and the edit
    becomes the next version; a stale form shows both texts instead of overwriting."""
    workshop, roundup = editable_or_404(slug, roundup_id)
    form = EditForm()
    if form.validate_on_submit():
        change = Edit(
            form.title.data or "", form.narrative.data or "", tuple(form.hidden.data or ())
        )
        try:
            saved = edit(
                db.session, roundup, submitted_version(form.version.data), change, current_user
            )
            db.session.commit()
        except RoundUpConflict as conflict:
            db.session.rollback()
            return conflict_page(workshop, conflict.current, change, str(conflict))
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            current = latest(db.session, workshop, published_only=False) or roundup
            return conflict_page(
                workshop, current, change, "Someone else saved at the same moment."
            )
        except RoundUpError as error:
            flash(str(error), "error")
        else:
            flash(f"Saved as version {saved.number} (draft).", "success")
            return to_roundup(workshop, saved)
    elif request.method == "GET":
        fill_edit_form(form, roundup)
    return render_template("roundups/edit.html", workshop=workshop, roundup=roundup, form=form)


def fill_edit_form(form: EditForm, roundup: RoundUp) -> None:
    """Start the edit form from the saved round-up."""
    form.title.data = roundup.title
    form.narrative.data = roundup.narrative_md
    form.hidden.data = list(roundup.content.get("hidden", []))
    form.version.data = str(roundup.version)


def conflict_page(
    workshop: Workshop, current: RoundUp, change: Edit, message: str
) -> tuple[str, int]:
    """Both versions side by side; saving again from here overwrites on purpose."""
    form = EditForm(formdata=None)
    form.title.data, form.narrative.data = change.title, change.narrative_md
    form.hidden.data, form.version.data = list(change.hidden), str(current.version)
    page = render_template(
        "roundups/conflict.html",
        workshop=workshop,
        current=current,
        form=form,
        message=message,
        sections=dict(SECTIONS),
        **{f"current_{k}": v for k, v in body_context(current).items()},
    )
    return page, 409


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>/publish", methods=["POST"])
@roles_required("facilitator")
def publish_view(slug: str, roundup_id: int) -> Response:
    """Publish a draft to members, or also at a public link."""
    workshop, roundup = editable_or_404(slug, roundup_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            publish(
                roundup,
                submitted_version(form.version.data),
                form.visibility.data or "members",
                session=db.session,
                by=current_user,
            )
            notices = notify_roundup_published(
                db.session, workshop, roundup, current_user, page_path(workshop, roundup)
            )
            db.session.commit()
        except RoundUpError as error:
            db.session.rollback()
            flash(str(error), "error")
        except StaleDataError:
            db.session.rollback()
            flash("Someone else saved this round-up at the same moment: check it first.", "error")
        else:
            deliver(notices)
            flash(f"Version {roundup.number} is published {where(roundup)}.", "success")
    return to_roundup(workshop, roundup)


def where(roundup: RoundUp) -> str:
    """to members · at its public link (and to members)."""
    return "at its public link and to members" if roundup.public_token else "to members"


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>/share", methods=["POST"])
@roles_required("facilitator")
def share_view(slug: str, roundup_id: int) -> Response:
    """Open or close a published round-up's public link."""
    workshop, roundup = editable_or_404(slug, roundup_id)
    if ButtonForm().validate_on_submit():
        try:
            share(roundup, request.form.get("visibility", ""), session=db.session, by=current_user)
        except RoundUpError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Version {roundup.number} is now shared {where(roundup)}.", "success")
    return to_roundup(workshop, roundup, "#sharing")


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>/comments", methods=["POST"])
@roles_required(*ROLES)
def comment(slug: str, roundup_id: int) -> Response:
    """Comment on a published round-up."""
    workshop, roundup = readable_or_404(slug, roundup_id)
    if roundup.status != "published":
        abort(404)
    return save_comment(workshop, roundup, "roundup", roundup.id, CommentForm(prefix="roundup"))


@bp.route(
    "/workshops/<slug>/roundup/<int:roundup_id>/steps/<int:next_step_id>/comments", methods=["POST"]
)
@roles_required(*ROLES)
def comment_on_step(slug: str, roundup_id: int, next_step_id: int) -> Response:
    """Comment on one of the round-up's next steps."""
    workshop, roundup = readable_or_404(slug, roundup_id)
    step = step_of_workshop(db.session, workshop, next_step_id)
    if step is None or roundup.status != "published":
        abort(404)
    form = CommentForm(prefix=f"step{next_step_id}")
    return save_comment(workshop, roundup, "next-step", step.id, form)


def save_comment(
    workshop: Workshop, roundup: RoundUp, target: str, target_id: int, form: CommentForm
) -> Response:
    """Store a comment from a posted form and go back to where it was written."""
    anchor = "#comments" if target == "roundup" else f"#step-{target_id}"
    if not form.validate_on_submit():
        flash("Write a comment (at most 4,000 characters) before sending it.", "error")
        return to_roundup(workshop, roundup, anchor)
    written = add_comment(db.session, target, target_id, current_user, form.body.data or "")
    db.session.flush()
    where_it_is = page_path(workshop, roundup) + anchor
    notices = notify_comment(db.session, workshop, written, current_user, where_it_is)
    db.session.commit()
    deliver(notices)
    flash("Comment added.", "success")
    return to_roundup(workshop, roundup, anchor)


@bp.route(
    "/workshops/<slug>/roundup/<int:roundup_id>/steps/<int:next_step_id>/endorse", methods=["POST"]
)
@roles_required(*ROLES)
def endorse(slug: str, roundup_id: int, next_step_id: int) -> Response:
    """Endorse a next step, or withdraw the endorsement."""
    workshop, roundup = readable_or_404(slug, roundup_id)
    step = step_of_workshop(db.session, workshop, next_step_id)
    if step is None or roundup.status != "published":
        abort(404)
    if ButtonForm().validate_on_submit():
        now = toggle_endorsement(db.session, step, current_user)
        db.session.commit()
        flash(f"You {'endorse' if now else 'no longer endorse'} “{step.title}”.", "success")
    return to_roundup(workshop, roundup, f"#step-{step.id}")


@bp.route("/workshops/<slug>/roundup/<int:roundup_id>/download/<fmt>")
@roles_required(*ROLES)
def download(slug: str, roundup_id: int, fmt: str) -> Response:
    """The round-up as HTML, Markdown, DOCX or PDF; the statements as XLSX or CSV; the needs."""
    workshop, roundup = readable_or_404(slug, roundup_id)
    return attachment(workshop, roundup, fmt, FORMATS)


def attachment(workshop: Workshop, roundup: RoundUp, fmt: str, allowed: Any) -> Response:
    """A download of one format, or 404 for a format not offered here."""
    if fmt not in allowed:
        abort(404)
    content = export(db.session, roundup, workshop, fmt)
    return download_file(content, filename(roundup, workshop.slug, fmt), FORMATS[fmt][0])


def public_or_404(token: str) -> tuple[Workshop, RoundUp]:
    """The round-up behind a public link, and its workshop."""
    roundup = find_public(db.session, token)
    if roundup is None:
        abort(404)
    workshop = db.session.get(Workshop, roundup.workshop_id)
    assert workshop is not None
    return workshop, roundup


def reader_body(roundup: RoundUp) -> Markup:
    """The round-up as readers see it, drawn once per version and status, then cached."""

    def draw() -> str:
        context = body_context(roundup)
        return render_template("roundups/_body.html", roundup=roundup, interactive=False, **context)

    key = ("roundup-body", roundup.id, roundup.version, roundup.status, roundup.created_at)
    # The cached text is our own autoescaped template's output, so it is safe markup.
    return Markup(cached(key, draw))  # noqa: S704


@bp.route("/r/<public_token>")
@public
def public_view(public_token: str) -> Response:
    """A round-up published at its public link: that round-up only, read-only."""
    workshop, roundup = public_or_404(public_token)

    def draw(shared_page: bool) -> str:
        return render_template(
            "roundups/public.html",
            workshop=workshop,
            roundup=roundup,
            token=public_token,
            formats=DOCUMENT_FORMATS,
            body=reader_body(roundup),
            shared_page=shared_page,
        )

    if current_user.is_authenticated or "_flashes" in session:
        page = draw(shared_page=False)
    else:
        # Anonymous readers all see the same page: drawn once per version and link, with no
        # session or CSRF token in it, so reading it neither writes nor sends a cookie.
        key = ("roundup-public-page", roundup.id, roundup.version, roundup.status, public_token)
        page = cached(key, lambda: draw(shared_page=True))
    response = Response(page, mimetype="text/html")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/r/<public_token>/download/<fmt>")
@public
def public_download(public_token: str, fmt: str) -> Response:
    """The public round-up as HTML, Markdown, DOCX or PDF (never the workshop's statements)."""
    workshop, roundup = public_or_404(public_token)
    return attachment(workshop, roundup, fmt, DOCUMENT_FORMATS)

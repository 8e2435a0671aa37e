"""Data request pages: the workshop's requests, drafting from gaps, sending, replies, the letter
and the CSV export. Only those who run a workshop's next steps handle its requests."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from insights.access import roles_required
from insights.core.enums import MANAGERS
from insights.core.ids import parse_id
from insights.core.lookups import child_of_workshop_or_404, dataset_shared_with, workshop_or_404
from insights.core.navigation import safe_next
from insights.datasets.models import Dataset
from insights.datasets.services import search_datasets
from insights.extensions import db
from insights.graph.analyses import find_gaps
from insights.graph.snapshot import load_graph_data
from insights.nextsteps.services import can_manage
from insights.requests.forms import DraftForm, NewRequestForm, ReplyForm, SentForm
from insights.requests.models import DataRequest
from insights.requests.services import (
    RequestError,
    draft_request,
    gaps_of,
    letter_text,
    mark_sent,
    record_reply,
    requests_csv,
    update_draft,
    workshop_requests,
)
from insights.versioning import submitted_version
from insights.workshops.models import Workshop

DRAFT_FIELDS = ("addressee", "contact", "subject", "body")

bp = Blueprint("requests", __name__, url_prefix="/workshops/<slug>/data-requests")


def managed_or_403(slug: str) -> Workshop:
    """The workshop, if the signed-in person runs its next steps and data requests."""
    workshop = workshop_or_404(slug)
    if not can_manage(db.session, current_user, workshop):
        abort(403)
    return workshop


def request_or_404(workshop: Workshop, request_id: int) -> DataRequest:
    """A data request of this workshop."""
    return child_of_workshop_or_404(DataRequest, workshop, request_id)


@bp.route("/")
@roles_required(*MANAGERS)
def index(slug: str) -> str:
    """Every request of the workshop with its status, and the gaps still without one."""
    workshop = managed_or_403(slug)
    return render_template(
        "requests/index.html",
        workshop=workshop,
        requests=workshop_requests(db.session, workshop),
        gaps=find_gaps(load_graph_data(db.session, [workshop.id])),
        form=NewRequestForm(),
    )


@bp.route("/new", methods=["POST"])
@roles_required(*MANAGERS)
def new(slug: str) -> ResponseReturnValue:
    """Draft one request from the gaps chosen (one click from a gap), then open it to edit."""
    workshop = managed_or_403(slug)
    form = NewRequestForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        drafted = draft_request(
            db.session, workshop, gaps_of(db.session, workshop, form.needs.data or []), current_user
        )
    except RequestError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(safe_next(request.form.get("next"), "main.home"))
    db.session.commit()
    flash("Data request drafted. Check who it is to and what it says, then save it.", "success")
    return redirect(url_for(".edit", slug=slug, request_id=drafted.id))


@bp.route("/<int:request_id>")
@roles_required(*MANAGERS)
def show(slug: str, request_id: int) -> str:
    """The request as it reads, its status, and the next thing to record."""
    workshop = managed_or_403(slug)
    data_request = request_or_404(workshop, request_id)
    return render_show(workshop, data_request)


def render_show(workshop: Workshop, data_request: DataRequest, **forms: Any) -> str:
    """The request page, with fresh forms unless some are given (after an error)."""
    reply = forms.get("reply_form") or ReplyForm(answered_on=date.today())
    reply.dataset.choices = dataset_choices(workshop, request.args.get("dataset_q", ""))
    return render_template(
        "requests/show.html",
        workshop=workshop,
        data_request=data_request,
        letter=letter_text(data_request),
        sent_form=forms.get("sent_form") or SentForm(sent_on=date.today()),
        reply_form=reply,
        dataset_q=request.args.get("dataset_q", ""),
    )


def dataset_choices(workshop: Workshop, query: str) -> list[tuple[str, str]]:
    """Datasets the workshop may name in a reply (the shared catalogue and its own), narrowed by
    words when given."""
    shared = search_datasets(query[:200]).where(dataset_shared_with(workshop))
    found = db.session.scalars(shared.limit(200)).all()
    return [("", "No dataset named"), *((str(d.id), f"{d.title} ({d.publisher})") for d in found)]


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(slug: str, request_id: int) -> ResponseReturnValue:
    """Edit a drafted request: addressee, contact, subject, text, and the gaps it asks about."""
    workshop = managed_or_403(slug)
    data_request = request_or_404(workshop, request_id)
    form = DraftForm(obj=None if request.method == "POST" else data_request)
    form.needs.choices = gap_choices(workshop, data_request)
    if request.method == "GET":
        form.needs.data = [n.id for n in data_request.needs]
        form.version.data = str(data_request.version)
    if form.validate_on_submit():
        fields = {name: form[name].data or "" for name in DRAFT_FIELDS}
        chosen = form.needs.data or []
        needs = gaps_of(db.session, workshop, chosen)
        needs += [n for n in data_request.needs if n.id in chosen and n not in needs]
        try:
            version = submitted_version(form.version.data)
            update_draft(db.session, data_request, version, fields, needs, current_user)
        except RequestError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template("requests/edit.html", workshop=workshop, form=form), 409
        db.session.commit()
        flash("Draft saved.", "success")
        return redirect(url_for(".show", slug=slug, request_id=data_request.id))
    return render_template(
        "requests/edit.html", workshop=workshop, form=form, data_request=data_request
    )


def gap_choices(workshop: Workshop, data_request: DataRequest) -> list[tuple[int, str]]:
    """The workshop's gaps, and the needs the request already asks about."""
    gaps = find_gaps(load_graph_data(db.session, [workshop.id]))
    choices = {gap.need.id: gap.need.text for gap in gaps}
    choices.update({need.id: need.text for need in data_request.needs})
    return sorted(choices.items())


@bp.route("/<int:request_id>/sent", methods=["POST"])
@roles_required(*MANAGERS)
def sent(slug: str, request_id: int) -> ResponseReturnValue:
    """Record that the request went out."""
    workshop = managed_or_403(slug)
    data_request = request_or_404(workshop, request_id)
    form = SentForm()
    if not form.validate_on_submit() or form.sent_on.data is None:
        return render_show(workshop, data_request, sent_form=form)
    try:
        mark_sent(db.session, data_request, form.sent_on.data, current_user)
    except RequestError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Marked as sent on {form.sent_on.data.strftime('%-d %B %Y')}.", "success")
    return redirect(url_for(".show", slug=slug, request_id=data_request.id))


@bp.route("/<int:request_id>/reply", methods=["POST"])
@roles_required(*MANAGERS)
def reply(slug: str, request_id: int) -> ResponseReturnValue:
    """Record the answer or refusal; a dataset named in an answer is linked to the needs."""
    workshop = managed_or_403(slug)
    data_request = request_or_404(workshop, request_id)
    form = ReplyForm()
    form.dataset.choices = dataset_choices(workshop, "")
    chosen = parse_id(form.dataset.raw_data[0]) if form.dataset.raw_data else None
    dataset = db.session.scalar(
        sa.select(Dataset).where(Dataset.id == chosen, dataset_shared_with(workshop))
    )
    form.dataset.validate_choice = False
    if not form.validate_on_submit() or form.answered_on.data is None:
        return render_show(workshop, data_request, reply_form=form)
    try:
        record_reply(
            db.session,
            data_request,
            status=form.status.data or "",
            on=form.answered_on.data,
            answer=form.answer.data or "",
            dataset=dataset if dataset is not None and dataset.deleted_at is None else None,
            coverage=form.coverage.data or "serves",
            user=current_user,
        )
    except RequestError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Reply recorded: {data_request.status}.", "success")
    return redirect(url_for(".show", slug=slug, request_id=data_request.id))


@bp.route("/<int:request_id>/letter.txt")
@roles_required(*MANAGERS)
def letter(slug: str, request_id: int) -> Response:
    """The request as plain text, to paste into an email or print as a letter."""
    workshop = managed_or_403(slug)
    data_request = request_or_404(workshop, request_id)
    response = Response(letter_text(data_request), mimetype="text/plain")
    name = f"data-request-{data_request.id}.txt"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/export.csv")
@roles_required(*MANAGERS)
def export(slug: str) -> Response:
    """Every request of the workshop as CSV."""
    workshop = managed_or_403(slug)
    content = requests_csv(workshop, workshop_requests(db.session, workshop))
    response = Response(content, mimetype="text/csv")
    name = f"{workshop.slug}-data-requests.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

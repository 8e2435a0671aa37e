"""Catalogue pages: list and search, a dataset, create, edit, import; a need's links and
suggestions; and the one-click step from a post-it to a dataset."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.enums import MANAGERS
from insights.core.lookups import (
    dataset_or_404,
    dataset_visible_to,
    visible_organisations_query,
    visible_statement_or_404,
)
from insights.core.navigation import safe_next
from insights.core.pages import page_number, paginate
from insights.datasets.catalogue_imports import (
    FORMAT_NAMES,
    catalogue_from_payload,
    catalogue_payload,
    describe_changes,
    import_catalogue,
    preview_catalogue,
    report_heading,
)
from insights.datasets.forms import (
    ACCESS_LABELS,
    GRANULARITY_LABELS,
    ActionForm,
    ConfirmImportForm,
    DatasetForm,
    HarvestForm,
    ImportForm,
)
from insights.datasets.harvest import find_or_add_source, plan_for_url
from insights.datasets.import_jobs import catalogue_import_params
from insights.datasets.importers import Catalogue, CatalogueImportError, read_catalogue
from insights.datasets.models import Dataset, HarvestSource, NeedDatasetLink
from insights.datasets.services import (
    DatasetConflict,
    DatasetError,
    create_dataset,
    decide_link,
    search_datasets,
    statement_links,
    undo_link_decision,
    update_dataset,
)
from insights.datasets.suggestions import (
    after_catalogue_change,
    dataset_from_statement,
    link_statement_to_dataset,
    publish_dataset,
    refresh_workshop_suggestions,
    suggest_for_statement,
)
from insights.extensions import db
from insights.ingest import uploads
from insights.ingest.jobs import IMPORT, in_request_limit
from insights.jobs import Job, enqueue
from insights.nextsteps.services import can_manage
from insights.statements.models import Statement
from insights.themes.models import Theme
from insights.versioning import submitted_version
from insights.workshops.models import Workshop
from insights.workshops.services import (
    can_facilitate,
    find_visible_workshop,
    visible_workshops_query,
)

bp = Blueprint("datasets", __name__, url_prefix="/datasets")

# Catalogue entries on one page of the list: an imported catalogue holds thousands.
CATALOGUE_PAGE_SIZE = 100

# Facilitators, leads and admins manage the catalogue and links; every role reads.

DECISIONS = {
    "serves": ("confirmed", "serves"),
    "partly-serves": ("confirmed", "partly-serves"),
    "reject": ("rejected", None),
}


def may_manage() -> bool:
    """Whether the signed-in person may change the catalogue and links."""
    return bool(current_user.has_role(*MANAGERS))


def get_dataset(dataset_id: object) -> Dataset:
    """The dataset, if the person may see it (published, or made in one of their workshops)."""
    return dataset_or_404(dataset_id)  # type: ignore[no-any-return]


def visible_statement(statement_id: int) -> Statement:
    """The statement, if its workshop is one the person may open; 404 otherwise."""
    return visible_statement_or_404(statement_id)


def shared_dataset(statement: Statement, dataset_id: object) -> Dataset:
    """A dataset this post-it's workshop may link to: published, or made in that workshop."""
    dataset = get_dataset(dataset_id)
    if not dataset.published and dataset.workshop_id != statement.workshop_id:
        abort(404)
    return dataset


def may_publish(dataset: Dataset) -> bool:
    """Facilitators of the workshop a dataset was made in (and admins) may publish it."""
    if dataset.workshop_id is None:
        return False
    workshop = db.session.get(Workshop, dataset.workshop_id)
    return workshop is not None and can_facilitate(db.session, current_user, workshop)


@bp.route("/")
@roles_required(*ROLES)
def index() -> str:
    """The catalogue: search by words, filter by theme, granularity and access."""
    args = {k: request.args.get(k, "").strip() for k in ("q", "theme", "granularity", "access")}
    query = search_datasets(
        args["q"], theme=args["theme"], granularity=args["granularity"], access=args["access"]
    ).where(dataset_visible_to(current_user))
    loaded = query.options(selectinload(Dataset.themes))
    page = paginate(db.session, loaded, page_number(request.args), CATALOGUE_PAGE_SIZE)
    return render_template(
        "datasets/index.html",
        datasets=page.items,
        page=page,
        args=args,
        themes=db.session.scalars(sa.select(Theme).order_by(Theme.position)).all(),
        granularities=GRANULARITY_LABELS,
        access_levels=ACCESS_LABELS,
        may_manage=may_manage(),
    )


@bp.route("/<int:dataset_id>/")
@roles_required(*ROLES)
def show(dataset_id: int) -> str:
    """A dataset: its fields, who holds it, and the needs it serves (in workshops one may see)."""
    dataset = get_dataset(dataset_id)
    visible = visible_workshops_query(current_user).with_only_columns(Workshop.id)
    rows = db.session.execute(
        sa.select(NeedDatasetLink, Statement)
        .join(Statement, Statement.id == NeedDatasetLink.statement_id)
        .where(NeedDatasetLink.dataset_id == dataset.id, NeedDatasetLink.status != "rejected")
        .where(Statement.workshop_id.in_(visible), Statement.deleted_at.is_(None))
        .order_by(NeedDatasetLink.status, Statement.id)
    ).all()
    return render_template(
        "datasets/show.html",
        dataset=dataset,
        rows=rows,
        home=db.session.get(Workshop, dataset.workshop_id) if dataset.workshop_id else None,
        may_publish=may_publish(dataset),
        granularities=GRANULARITY_LABELS,
        access_levels=ACCESS_LABELS,
        may_manage=may_manage(),
    )


def _prepare_form(form: DatasetForm) -> list[Theme]:
    """Fill the form's choices from the taxonomy and the organisations; returns the themes."""
    themes = list(db.session.scalars(sa.select(Theme).order_by(Theme.position)))
    form.themes.choices = [(t.slug, t.name) for t in themes]
    organisations = db.session.scalars(visible_organisations_query(current_user)).all()
    form.holder_organisation_id.choices = [("", "Nobody in particular")] + [
        (str(o.id), o.name) for o in organisations
    ]
    return themes


def _chosen_themes(form: DatasetForm, themes: list[Theme]) -> list[Theme]:
    """The themes ticked on the form."""
    chosen = set(form.themes.data or [])
    return [t for t in themes if t.slug in chosen]


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create() -> str | Response:
    """Add a dataset to the catalogue by hand."""
    form = DatasetForm()
    themes = _prepare_form(form)
    if form.validate_on_submit():
        values, chosen = form.values(), _chosen_themes(form, themes)
        dataset = create_dataset(db.session, values, chosen, user=current_user)
        after_catalogue_change(db.session)
        db.session.commit()
        flash(f"Added “{dataset.title}”.", "success")
        return redirect(url_for("datasets.show", dataset_id=dataset.id))
    return render_template("datasets/form.html", form=form, dataset=None)


@bp.route("/<int:dataset_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(dataset_id: int) -> str | Response | tuple[str, int]:
    """Edit a dataset; an edit made on a stale version is refused, never silently applied."""
    dataset = get_dataset(dataset_id)
    form = DatasetForm(obj=dataset if request.method == "GET" else None)
    themes = _prepare_form(form)
    if request.method == "GET":
        form.keywords.data = ", ".join(dataset.keywords or [])
        form.themes.data = [t.slug for t in dataset.themes]
        form.holder_organisation_id.data = str(dataset.holder_organisation_id or "")
        form.version.data = str(dataset.version)
    elif form.validate_on_submit():
        try:
            seen = submitted_version(form.version.data)
            values, chosen = form.values(), _chosen_themes(form, themes)
            update_dataset(
                db.session, dataset, values, chosen, seen_version=seen, user=current_user
            )
            after_catalogue_change(db.session)
            db.session.commit()
        except (DatasetConflict, StaleDataError):
            db.session.rollback()
            return _conflict(dataset_id)
        flash("Dataset saved.", "success")
        return redirect(url_for("datasets.show", dataset_id=dataset.id))
    return render_template("datasets/form.html", form=form, dataset=dataset)


def _conflict(dataset_id: int) -> tuple[str, int]:
    """The latest version of the dataset, with a conflict message, as a 409."""
    dataset = get_dataset(dataset_id)
    form = DatasetForm(obj=dataset, formdata=None)
    _prepare_form(form)
    form.keywords.data = ", ".join(dataset.keywords or [])
    form.themes.data = [t.slug for t in dataset.themes]
    form.holder_organisation_id.data = str(dataset.holder_organisation_id or "")
    form.version.data = str(dataset.version)
    flash(
        "Someone else saved this dataset after you opened it. Your changes were not saved: "
        "this is the latest version. Make your changes again if they are still needed.",
        "error",
    )
    return render_template("datasets/form.html", form=form, dataset=dataset, conflict=True), 409


UPLOAD_SCOPE = "catalogue"
PREVIEW_RECORDS = 10
REPORTED_DATASETS = 50


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_file() -> str | Response:
    """Upload a catalogue file: it is read once, kept by token, and goes on to its preview."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = secure_filename(upload.filename or "") or "catalogue"
        try:
            catalogue = read_catalogue(upload.read(), filename)
        except CatalogueImportError as error:
            form.file.errors = [f"Nothing was imported. {error}"]
        else:
            token = uploads.keep_payload(UPLOAD_SCOPE, filename, catalogue_payload(catalogue))
            return redirect(url_for(".import_preview", token=token))
    last = latest_import_job(current_user.id)
    return render_template("datasets/import.html", form=form, last_job=last)


def latest_import_job(user_id: int) -> Job | None:
    """This person's latest background catalogue import, to reach its report again."""
    query = (
        sa.select(Job)
        .where(Job.kind == IMPORT, Job.workshop_id.is_(None), Job.created_by_id == user_id)
        .order_by(Job.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


@bp.route("/import/<token>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_preview(token: str) -> str | Response:
    """What the upload would add, update, leave unchanged or refuse; confirm, then the report."""
    payload, filename = uploads.pending_payload(UPLOAD_SCOPE, token)
    catalogue = catalogue_from_payload(payload)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        if form.cancel.data:
            uploads.discard_upload(token)
            flash("The upload was cancelled; nothing was imported.", "info")
            return redirect(url_for(".import_file"))
        if len(catalogue.records) > in_request_limit(current_app.config):
            return queue_catalogue_import(token, filename, len(catalogue.records))
        return finish_catalogue_import(token, filename, catalogue)
    preview = preview_catalogue(db.session, catalogue)
    count = len(catalogue.records)
    form.confirm.label.text = f"Import {count:,} dataset{'' if count == 1 else 's'}"
    return render_template(
        "datasets/import_preview.html",
        form=form,
        filename=filename,
        preview=preview,
        format_name=FORMAT_NAMES.get(preview.kind, preview.kind),
        sample=preview.planned[:PREVIEW_RECORDS],
        updates=[p for p in preview.planned if p.action == "update"][:REPORTED_DATASETS],
        describe_changes=describe_changes,
    )


def finish_catalogue_import(token: str, filename: str, catalogue: Catalogue) -> str:
    """Import in the request, commit, forget the upload and show the report."""
    summary = import_catalogue(db.session, catalogue, filename, current_user.id)
    after_catalogue_change(db.session)
    db.session.commit()
    uploads.discard_upload(token)
    ids = summary.ids[:REPORTED_DATASETS]
    datasets = db.session.scalars(sa.select(Dataset).where(Dataset.id.in_(ids))).all()
    return render_template(
        "datasets/import_report.html",
        heading=report_heading(filename, catalogue.kind),
        lines=summary.report().lines(),
        datasets=sorted(datasets, key=lambda d: ids.index(d.id)),
        more=max(0, len(summary.ids) - len(ids)),
    )


def queue_catalogue_import(token: str, filename: str, records: int) -> Response:
    """Queue a big catalogue's import as a background job and show its progress."""
    job = enqueue(
        db.session,
        IMPORT,
        catalogue_import_params(token, filename, records),
        title=f"Import {records:,} datasets from {filename}",
        user_id=current_user.id,
    )
    db.session.commit()
    uploads.hand_to_job(token)
    flash(f"{records:,} datasets are being imported in the background.", "info")
    return redirect(url_for("jobs.show", job_id=job.id))


# Post-its whose datasets page confirms or rejects links as for a need.
NEED_PAGE_KINDS = ("need", "challenge")
SEARCH_LIMIT = 25  # catalogue matches listed on a need's page


@bp.route("/harvest", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def harvest_sources() -> str | Response:
    """The harvested catalogues: add one (and harvest it now, in a job), see each one's report."""
    form = HarvestForm()
    if form.validate_on_submit():
        try:
            plan = plan_for_url(
                form.url.data or "", form.organisation.data or "", form.tag.data or ""
            )
        except CatalogueImportError as error:
            form.url.errors = [str(error)]
        else:
            every = int(form.every_hours.data or 0)
            source = find_or_add_source(
                db.session, plan, every_hours=every, user_id=current_user.id
            )
            return queue_harvest(source)
    sources = db.session.scalars(sa.select(HarvestSource).order_by(HarvestSource.url)).all()
    return render_template("datasets/harvest.html", form=form, sources=sources, button=ActionForm())


@bp.route("/harvest/<int:source_id>", methods=["POST"])
@roles_required(*MANAGERS)
def harvest_again(source_id: int) -> Response:
    """Harvest a source again now."""
    if not ActionForm().validate_on_submit():
        abort(400)
    source = db.session.get(HarvestSource, source_id)
    if source is None:
        abort(404)
    return queue_harvest(source)


def queue_harvest(source: HarvestSource) -> Response:
    """Queue the harvest of a source as a job and show its progress."""
    job = enqueue(
        db.session,
        "harvest",
        {"source_id": source.id},
        title=f"Harvest {source.url}",
        user_id=current_user.id,
    )
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/needs/<int:statement_id>/")
@roles_required(*ROLES)
def need(statement_id: int) -> str:
    """A post-it's datasets: for a need its links and ranked suggestions; for a source or
    collected post-it, matches in the catalogue and the step to make it a dataset."""
    statement = visible_statement(statement_id)
    links = statement_links(db.session, statement.id)
    ranked = suggest_for_statement(db.session, statement)
    query = request.args.get("q", "").strip()[:200]
    found = db.session.scalars(search_datasets(query).limit(SEARCH_LIMIT)).all() if query else []
    return render_template(
        "datasets/need.html",
        statement=statement,
        query=query,
        found=found,
        confirmed=[k for k in links if k.status == "confirmed"],
        rejected=[k for k in links if k.status == "rejected"],
        ranked=ranked,
        need_kinds=NEED_PAGE_KINDS,
        may_manage=may_manage(),
        runs_next_steps=can_manage(db.session, current_user, statement.workshop),
        form=ActionForm(),
    )


@bp.route("/needs/<int:statement_id>/links/<int:dataset_id>", methods=["POST"])
@roles_required(*MANAGERS)
def decide(statement_id: int, dataset_id: int) -> Response:
    """Confirm (serves / partly serves), reject, or undo the decision on a need's link."""
    statement = visible_statement(statement_id)
    dataset = shared_dataset(statement, dataset_id)
    form = ActionForm()
    action = form.action.data or ""
    if form.validate_on_submit() and (action in DECISIONS or action == "undo"):
        if action == "undo":
            undo_link_decision(db.session, statement, dataset, current_user)
            flash(f"Decision on “{dataset.title}” undone.", "info")
        else:
            status, coverage = DECISIONS[action]
            _decide(statement, dataset, status, coverage)
        db.session.commit()
    else:
        flash("Choose serves, partly serves or not relevant.", "error")
    back = request.form.get("next_url")
    return redirect(
        safe_next(back) if back else url_for("datasets.need", statement_id=statement.id)
    )


def _decide(statement: Statement, dataset: Dataset, status: str, coverage: str | None) -> None:
    """Record a decision, keeping the suggestion's score and reasons with it."""
    match = next(
        (
            r.suggestion
            for r in suggest_for_statement(db.session, statement, limit=50)
            if r.dataset.id == dataset.id
        ),
        None,
    )
    decide_link(
        db.session,
        statement,
        dataset,
        status=status,
        coverage=coverage,
        user=current_user,
        score=match.score if match else None,
        reasons=list(match.reasons) if match else None,
    )
    word = {"serves": "serves", "partly-serves": "partly serves"}.get(coverage or "", "")
    flash(f"“{dataset.title}” {word or 'rejected'} for this need.", "success")


@bp.route("/from-statement/<int:statement_id>", methods=["POST"])
@roles_required(*MANAGERS)
def from_statement(statement_id: int) -> Response:
    """One click: a source or collected post-it becomes a dataset, or links to an existing one."""
    statement = visible_statement(statement_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if (form.dataset_id.data or "").strip():
            dataset = shared_dataset(statement, form.dataset_id.data or "")
            link_statement_to_dataset(db.session, statement, dataset, current_user)
            message = f"Linked to “{dataset.title}”."
        else:
            dataset = dataset_from_statement(db.session, statement, current_user)
            message = (
                f"Made “{dataset.title}”: only members of this workshop see it until a "
                "facilitator publishes it to the shared catalogue. Check its details."
            )
    except DatasetError as error:
        flash(str(error), "error")
        return redirect(url_for("datasets.need", statement_id=statement.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.route("/<int:dataset_id>/publish", methods=["POST"])
@roles_required("facilitator")
def publish(dataset_id: int) -> Response:
    """Share a dataset made from a post-it with the whole catalogue, or make it private again."""
    dataset = get_dataset(dataset_id)
    if dataset.workshop_id is None:
        abort(404)  # a catalogue entry: there is nothing to publish
    if not may_publish(dataset):
        abort(403)
    form = ActionForm()
    if form.validate_on_submit() and form.action.data in ("publish", "unpublish"):
        publish_dataset(db.session, dataset, current_user, form.action.data == "publish")
        db.session.commit()
        flash(
            "Published to the shared catalogue: everyone signed in can see it."
            if dataset.published
            else "Back to its workshop: only its members see it now.",
            "success",
        )
    return redirect(url_for("datasets.show", dataset_id=dataset.id))


@bp.route("/workshops/<slug>/suggest", methods=["POST"])
@roles_required(*MANAGERS)
def suggest_workshop(slug: str) -> Response:
    """Compute suggestions for every need of a workshop in one pass."""
    workshop = find_visible_workshop(db.session, current_user, slug)
    if workshop is None:
        abort(404)
    if ActionForm().validate_on_submit():
        count = refresh_workshop_suggestions(db.session, workshop)
        db.session.commit()
        flash(f"{count} suggestions for the needs of {workshop.title}.", "success")
    return redirect(url_for("graph.gaps", workshop=workshop.slug))

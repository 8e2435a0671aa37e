"""Job pages: a workshop's jobs (its facilitators), every job (admins), one job's live progress
and "Run again" for a job that failed.

Who: a job belongs to its workshop, so those who facilitate it see and restart it; a job of no
workshop is seen by admins and by the person who started it."""

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.core.enums import MANAGERS, MemberRole, Role
from insights.core.forms import ButtonForm
from insights.core.lookups import facilitated_or_403
from insights.extensions import db
from insights.jobs.models import Job
from insights.jobs.services import JobError, recent_jobs, retry_job
from insights.workshops.models import Workshop, WorkshopMember

bp = Blueprint("jobs", __name__)


def job_or_404(job_id: int) -> Job:
    """The job, if the signed-in person may follow it; otherwise 404, as if there were none."""
    job = db.session.get(Job, job_id)
    if job is None or not may_follow(job):
        abort(404)
    return job


def may_follow(job: Job) -> bool:
    """Admins, whoever started the job, and the facilitators of its workshop follow a job."""
    if current_user.role == Role.ADMIN or job.created_by_id == current_user.id:
        return True
    if job.workshop_id is None or current_user.role != Role.FACILITATOR:
        return False
    role = db.session.scalar(
        sa.select(WorkshopMember.role).where(
            WorkshopMember.workshop_id == job.workshop_id,
            WorkshopMember.user_id == current_user.id,
        )
    )
    return role == MemberRole.FACILITATOR


@bp.route("/jobs")
@roles_required(Role.ADMIN)
def index() -> str:
    """Every workshop's latest jobs, newest first."""
    return render_template("jobs/index.html", jobs=recent_jobs(db.session), workshop=None)


@bp.route("/workshops/<slug>/jobs")
@roles_required(Role.FACILITATOR)
def for_workshop(slug: str) -> str:
    """This workshop's latest jobs, newest first."""
    workshop = facilitated_or_403(slug)
    jobs = recent_jobs(db.session, workshop.id)
    return render_template("jobs/index.html", jobs=jobs, workshop=workshop)


@bp.route("/jobs/<int:job_id>")
@roles_required(*MANAGERS)
def show(job_id: int) -> Any:
    """One job's progress: a page, or JSON for the page's polling script."""
    job = job_or_404(job_id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(job.progress_dict())
    workshop = db.session.get(Workshop, job.workshop_id) if job.workshop_id else None
    return render_template("jobs/show.html", job=job, workshop=workshop, button=ButtonForm())


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@roles_required(*MANAGERS)
def retry(job_id: int) -> Response:
    """Queue a failed job again, from where it stopped."""
    job = job_or_404(job_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        retry_job(db.session, job)
    except JobError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("The job is queued again.", "success")
    return redirect(url_for(".show", job_id=job_id))

"""The carry-forward page: choose undiscussed items and the next workshop, then move or copy
them there; the page also shows where earlier items went and where arrivals came from."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.carry.forms import NEW_WORKSHOP, CarryForm
from insights.carry.models import CarriedItem
from insights.carry.services import (
    CarryError,
    carried_from,
    carried_into,
    carry_items,
    carry_targets,
    destinations_of,
    origin_of,
)
from insights.core.enums import MANAGERS
from insights.core.lookups import workshop_or_404
from insights.extensions import db
from insights.nextsteps.services import can_manage, carry_forward
from insights.workshops.models import Workshop
from insights.workshops.services import WorkshopError, create_workshop

bp = Blueprint("carry", __name__, url_prefix="/workshops/<slug>/carry-forward")


@bp.app_context_processor
def carry_helpers() -> dict[str, Any]:
    """`carried_origin(item_type, item_id)` and `carried_copies(...)` in every template: where a
    carried item came from, and where copies of it went."""

    def carried_origin(item_type: str, item_id: int) -> CarriedItem | None:
        return origin_of(db.session, item_type, item_id)

    def carried_copies(item_type: str, item_id: int) -> list[CarriedItem]:
        return destinations_of(db.session, item_type, item_id)

    return {"carried_origin": carried_origin, "carried_copies": carried_copies}


@bp.route("/")
@roles_required(*ROLES)
def index(slug: str) -> ResponseReturnValue:
    """What is left to carry on (everyone may read it); those who run next steps carry it."""
    workshop = workshop_or_404(slug)
    return render_page(workshop, carry_form(workshop))


@bp.route("/", methods=["POST"])
@roles_required(*MANAGERS)
def carry(slug: str) -> ResponseReturnValue:
    """Move or copy the chosen items to the chosen (or a new) workshop."""
    workshop = workshop_or_404(slug)
    if not can_manage(db.session, current_user, workshop):
        abort(403)
    form = carry_form(workshop)
    if not form.validate_on_submit():
        return render_page(workshop, form)
    return carry_submitted(workshop, form, carry_targets(db.session, current_user, workshop))


def carry_form(workshop: Workshop) -> CarryForm:
    """The form with this workshop's undiscussed items and the workshops they may go to."""
    steps, statements = carry_forward(db.session, workshop)
    form = CarryForm()
    form.statements.choices = [(s.id, s.text) for s in statements]
    form.next_steps.choices = [(s.id, s.title) for s in steps]
    targets = carry_targets(db.session, current_user, workshop)
    form.target.choices = [(str(w.id), w.title) for w in targets]
    form.target.choices.append((NEW_WORKSHOP, "A new workshop…"))
    return form


def render_page(workshop: Workshop, form: CarryForm) -> str:
    """The carry-forward page: the form (or, for readers, the list) and where items went."""
    return render_template(
        "carry/index.html",
        workshop=workshop,
        form=form,
        manages=can_manage(db.session, current_user, workshop),
        gone=carried_from(db.session, workshop),
        arrived=carried_into(db.session, workshop),
    )


def carry_submitted(
    workshop: Workshop, form: CarryForm, targets: list[Workshop]
) -> ResponseReturnValue:
    """Carry the chosen items, then show this workshop's carry page again."""
    try:
        target = chosen_target(form, targets)
        result = carry_items(
            db.session,
            workshop,
            target,
            statement_ids=form.statements.data or [],
            next_step_ids=form.next_steps.data or [],
            mode=form.mode.data or "",
            user=current_user,
        )
    except (CarryError, WorkshopError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".index", slug=workshop.slug))
    db.session.commit()
    done = f"{len(result.carried)} item{'s' if len(result.carried) != 1 else ''}"
    more = f"; {result.already} had already been carried there" if result.already else ""
    flash(f"Carried {done} to “{target.title}”{more}.", "success")
    return redirect(url_for(".index", slug=workshop.slug))


def chosen_target(form: CarryForm, targets: list[Workshop]) -> Workshop:
    """The workshop picked in the form, or a new one made now (its creator facilitates it)."""
    if form.target.data == NEW_WORKSHOP:
        title = (form.new_title.data or "").strip()
        if not title:
            raise CarryError("Give the new workshop a title.")
        workshop = create_workshop(db.session, title, when=form.new_date.data, creator=current_user)
        db.session.flush()
        return workshop
    target = next((w for w in targets if str(w.id) == form.target.data), None)
    if target is None:
        raise CarryError("Choose a workshop whose next steps you run.")
    return target

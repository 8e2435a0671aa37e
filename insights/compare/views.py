"""The comparison page: pick workshops, then see theme shares side by side, shared and single
needs and gaps, and change over time — by workshop, borough or organisation type."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.compare.charts import share_heatmap
from insights.compare.register import REGISTER_FORMATS, build_register, export_register
from insights.compare.services import DIMENSIONS, change, compare, raised_by
from insights.core.downloads import CONTENT_TYPES, attachment
from insights.core.pages import page_number, page_of
from insights.extensions import db
from insights.workshops.models import Workshop
from insights.workshops.services import visible_workshops_query

bp = Blueprint("compare", __name__, url_prefix="/compare")

REGISTER_PAGE_SIZE = 100


def chosen(visible: list[Workshop]) -> list[Workshop]:
    """The workshops ticked (?w=SLUG, repeated); all the person may open when none is."""
    slugs = request.args.getlist("w")
    if not slugs:
        return visible
    by_slug = {w.slug: w for w in visible}
    if any(slug not in by_slug for slug in slugs):
        abort(404)
    return [by_slug[slug] for slug in dict.fromkeys(slugs)]


@bp.route("/")
@roles_required(*ROLES)
def index() -> str:
    """Compare the chosen workshops, grouped by workshop, borough or organisation type."""
    visible = list(db.session.scalars(visible_workshops_query(current_user)))
    picked = chosen(visible)
    dimension = request.args.get("by", "workshop")
    if dimension not in DIMENSIONS:
        abort(404)
    result = compare(db.session, picked, dimension) if picked else None
    register = build_register(db.session, picked) if picked else None
    heat = None
    if result is not None and result.themes:
        title = f"Theme shares by {DIMENSIONS[dimension].lower()}"
        heat = share_heatmap(result.themes, result.groups, result.shares, title)
    return render_template(
        "compare/index.html",
        visible=visible,
        picked={w.slug for w in picked},
        dimension=dimension,
        dimensions=DIMENSIONS,
        result=result,
        heat=heat,
        raised_by=raised_by,
        change=change,
        register=register,
    )


@bp.route("/needs")
@roles_required(*ROLES)
def needs_register() -> str:
    """The needs register: every need of the chosen workshops (all by default) grouped with
    the others that say the same thing, with every wording and the counts behind it."""
    visible = list(db.session.scalars(visible_workshops_query(current_user)))
    picked = chosen(visible)
    register = build_register(db.session, picked) if picked else None
    standing = request.args.get("standing", "")
    if standing not in ("", "shared", "unique", "new"):
        abort(404)
    matching = (
        [n for n in register.needs if not standing or n.standing == standing] if register else []
    )
    page = page_of(matching, page_number(request.args), REGISTER_PAGE_SIZE)
    return render_template(
        "compare/needs.html",
        visible=visible,
        picked={w.slug for w in picked},
        register=register,
        shown=page.items,
        page=page,
        standing=standing,
    )


@bp.route("/needs/export")
@roles_required(*ROLES)
def needs_register_export() -> Response:
    """The needs register of the chosen workshops as ?format=csv (a row per need) or xlsx
    (needs and every wording)."""
    file_format = request.args.get("format", "csv")
    if file_format not in REGISTER_FORMATS:
        abort(404)
    picked = chosen(list(db.session.scalars(visible_workshops_query(current_user))))
    if not picked:
        abort(404)
    content = export_register(build_register(db.session, picked), file_format)
    return attachment(content, f"needs-register.{file_format}", CONTENT_TYPES[file_format])

"""Pooled data pages: who has submitted and how many answered, each field compared across the
boroughs as a table and a map, the change since last year, and publishing the suppressed data
as open data (its page, CSV, Table Schema, XLSX and DCAT record are open to everyone).

Who: everyone who may open the workshop reads the pooled (suppressed) data; its leads and
facilitators publish it."""

import json

import pandas as pd
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.core.downloads import attachment
from insights.core.enums import MANAGERS
from insights.core.exports import frame_to_csv
from insights.core.forms import ButtonForm
from insights.core.lookups import child_of_workshop_or_404, workshop_or_404
from insights.datasets.models import Dataset
from insights.extensions import db
from insights.pooling.charts import bar_chart
from insights.pooling.maps import london_map
from insights.pooling.models import PoolRelease
from insights.pooling.opendata import (
    COLUMNS,
    XLSX_TYPE,
    Addresses,
    OpenDataError,
    dcat_json,
    publish_release,
    release_csv,
    release_xlsx,
    releases_of,
)
from insights.pooling.services import (
    Cell,
    Comparison,
    Pool,
    compare,
    field_catalogue,
    pool,
    published_rows,
    who_submitted,
)
from insights.standards.models import DataStandard
from insights.standards.services import can_manage
from insights.workshops.models import Workshop

bp = Blueprint("pooling", __name__)


def standard_or_404(slug: str, standard_id: int) -> tuple[Workshop, DataStandard]:
    """A standard of a workshop the person may open."""
    workshop = workshop_or_404(slug)
    return workshop, child_of_workshop_or_404(DataStandard, workshop, standard_id)


def chosen(pooled: Pool) -> tuple[int | None, str, str]:
    """The year, field and category asked for, or the newest year and the first field."""
    years = pooled.years
    text = request.args.get("year", "")
    year = (
        int(text)
        if text.isdecimal() and len(text) == 4 and int(text) in years
        else (years[0] if years else None)
    )
    name = request.args.get("field", "")
    if name not in pooled.fields:
        name = next(
            (n for n, f in pooled.fields.items() if f.kind != "answered"),
            next(iter(pooled.fields), ""),
        )
    return year, name, request.args.get("category", "")[:120]


def comparison_map(comparison: Comparison) -> str:
    """The comparison as a map of London."""
    texts = {row["borough_code"]: row["shown_as"] for row in comparison.rows}
    title = f"{comparison.info.title}, {comparison.year}: {headline_words(comparison)} by borough"
    return london_map(comparison.values(), texts, title)


def headline_words(comparison: Comparison) -> str:
    """What the headline figure is, in words."""
    info = comparison.info
    if info.kind == "coded":
        label = dict(info.values).get(comparison.category, comparison.category)
        return f"share answering “{label}”"
    if info.kind == "numeric":
        return f"mean per organisation{f' ({info.unit})' if info.unit else ''}"
    return "answers given"


@bp.route("/workshops/<slug>/standards/<int:standard_id>/pool")
@roles_required(*ROLES)
def show(slug: str, standard_id: int) -> str:
    """The pooled data for a year: who submitted, a field compared across boroughs, the map."""
    workshop, standard = standard_or_404(slug, standard_id)
    pooled = pool(db.session, standard)
    year, name, category = chosen(pooled)
    comparison = compare(pooled, name, year, category) if year and name else None
    return render_template(
        "pooling/show.html",
        workshop=workshop,
        standard=standard,
        pooled=pooled,
        year=year,
        comparison=comparison,
        headline=headline_words(comparison) if comparison else "",
        map_svg=Markup(comparison_map(comparison)) if comparison else "",  # noqa: S704 (escaped SVG)
        listing=who_submitted(pooled, year) if year else [],
        may_publish=can_manage(db.session, current_user, workshop),
        releases=releases_of(db.session, standard),
        button=ButtonForm(),
    )


@bp.route("/workshops/<slug>/standards/<int:standard_id>/pool/map.svg")
@roles_required(*ROLES)
def map_svg(slug: str, standard_id: int) -> Response:
    """The map of the chosen field and year, as an SVG file."""
    _, standard = standard_or_404(slug, standard_id)
    pooled = pool(db.session, standard)
    year, name, category = chosen(pooled)
    if not year or not name:
        abort(404)
    return Response(comparison_map(compare(pooled, name, year, category)), mimetype="image/svg+xml")


@bp.route("/workshops/<slug>/standards/<int:standard_id>/pool/pooled.csv")
@roles_required(*ROLES)
def pooled_csv(slug: str, standard_id: int) -> Response:
    """Every year and borough of the pooled data, suppressed as it would be published."""
    _, standard = standard_or_404(slug, standard_id)
    frame = pd.DataFrame(
        published_rows(pool(db.session, standard)), columns=[c[0] for c in COLUMNS]
    )
    response = Response(
        frame_to_csv(frame.astype(object).where(frame.notna(), "")), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{standard.slug}-pooled.csv"'
    return response


def addresses(release: PoolRelease) -> Addresses:
    """Where a release is found, as full addresses for the catalogue and its DCAT record."""

    def at(output: str) -> str:
        return url_for("pooling.release_file", release_id=release.id, output=output, _external=True)

    page = url_for("pooling.release_page", release_id=release.id, _external=True)
    return Addresses(page=page, csv=at("data.csv"), xlsx=at("data.xlsx"), schema=at("schema.json"))


@bp.route("/workshops/<slug>/standards/<int:standard_id>/pool/publish", methods=["POST"])
@roles_required(*MANAGERS)
def publish(slug: str, standard_id: int) -> Response:
    """Publish the pooled, suppressed data as open data and enter it in the catalogue."""
    workshop, standard = standard_or_404(slug, standard_id)
    if not can_manage(db.session, current_user, workshop):
        abort(403)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        release = publish_release(db.session, standard, current_user, addresses)
    except OpenDataError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("pooling.show", slug=slug, standard_id=standard.id))
    db.session.commit()
    flash(f"Open data release {release.number} is published and in the catalogue.", "success")
    return redirect(url_for("datasets.show", dataset_id=release.dataset_id))


def release_or_404(release_id: int) -> PoolRelease:
    """A published release (suppressed data, open to everyone)."""
    release = db.session.get(PoolRelease, release_id)
    if release is None:
        abort(404)
    return release


@bp.route("/open-data/<int:release_id>/")
@public
def release_page(release_id: int) -> str:
    """The open data's page: what it is, charts and a map of each field, and the downloads."""
    release = release_or_404(release_id)
    standard = db.session.get(DataStandard, release.standard_id)
    assert standard is not None
    charts = release_charts(release, standard)
    dataset = db.session.get(Dataset, release.dataset_id) if release.dataset_id else None
    return render_template(
        "pooling/release.html", release=release, standard=standard, charts=charts, dataset=dataset
    )


def release_charts(release: PoolRelease, standard: DataStandard) -> list[dict[str, str]]:
    """A bar chart and a map per field of the newest year, drawn from the frozen release."""
    pooled = released_pool(release, standard)
    year = pooled.years[0] if pooled.years else None
    charts = []
    for name, info in pooled.fields.items():
        if info.kind == "answered" or year is None:
            continue
        comparison = compare(pooled, name, year, threshold=release.threshold)
        title = f"{info.title}, {year}: {headline_words(comparison)}"
        charts.append(
            {
                "title": title,
                "bars": Markup(bar_chart(comparison, title)),  # noqa: S704 (escaped SVG)
                "map": Markup(comparison_map(comparison)),  # noqa: S704
            }
        )
    return charts


def released_pool(release: PoolRelease, standard: DataStandard) -> Pool:
    """A pool rebuilt from a release's published (already suppressed) figures only."""
    fields = field_catalogue([v for v in standard.versions if v.is_published])
    cells: dict[tuple[int, str], Cell] = {}
    for row in release.rows:
        key = (row["year"], row["borough_code"])
        cell = cells.setdefault(
            key,
            Cell(
                row["year"], row["borough_code"], row["borough"], row["standard_version"], "", 0, {}
            ),
        )
        if row["field"] == "":
            cell.responses = int(row["value"] or 0)
            continue
        entry = cell.aggregates.setdefault(
            row["field"], {"responses": 0, "counts": {}, "total": 0.0}
        )
        value = row["value"]
        if row["measure"] == "responses":
            entry["responses"] = int(value or 0)
        elif row["measure"] == "count" and value is not None:
            entry["counts"][row["category"]] = int(value)
        elif row["measure"] == "total" and value is not None:
            entry["total"] = float(value)
    return Pool(standard=standard, fields=fields, cells=cells)


@bp.route(
    "/open-data/<int:release_id>/<any('data.csv', 'data.xlsx', 'schema.json', 'dcat.json'):output>"
)
@public
def release_file(release_id: int, output: str) -> Response:
    """The release as CSV, XLSX, its Table Schema or its DCAT record."""
    release = release_or_404(release_id)
    if output == "data.csv":
        body, mimetype = release_csv(release), "text/csv; charset=utf-8"
    elif output == "data.xlsx":
        body, mimetype = release_xlsx(release), XLSX_TYPE
    elif output == "schema.json":
        body, mimetype = (
            json.dumps(release.table_schema, indent=2, ensure_ascii=False).encode(),
            "application/json",
        )
    else:
        dataset = db.session.get(Dataset, release.dataset_id) if release.dataset_id else None
        if dataset is None:
            abort(404)
        body, mimetype = dcat_json(dataset), "application/ld+json"
    name = f"pooled-release-{release.number}-{output}"
    return attachment(body, name, mimetype, private=False)  # the charset said once

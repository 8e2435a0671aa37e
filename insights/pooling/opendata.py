"""Publishing the pooled, suppressed data as open data: a frozen release (CSV with its Table
Schema, XLSX), an entry in the app's own catalogue with a DCAT record, and confirmed links from
the needs its fields serve, so those gaps close and the graph shows it."""

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from frictionless import Resource, Schema

from insights.audit.services import record
from insights.auth.models import User
from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.datasets.models import Dataset
from insights.datasets.services import create_dataset, decide_link
from insights.extensions import DbSession
from insights.pooling.models import PoolRelease
from insights.pooling.services import DEFAULT_THRESHOLD, pool, published_rows
from insights.standards.models import DataStandard, StandardField
from insights.statements.models import Statement
from insights.themes.models import Theme
from insights.workshops.models import Workshop

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS = (
    ("year", "year", "Year", "The year the answers describe."),
    ("borough_code", "string", "Borough code", "The borough's ONS code."),
    ("borough", "string", "Borough", "The London borough."),
    ("standard_version", "integer", "Standard version", "The version the borough's survey used."),
    ("field", "string", "Field", "The standard's field (blank for the borough's response count)."),
    ("measure", "string", "Measure", "organisations responding, responses, count, total or mean."),
    ("category", "string", "Category", "The allowed value counted (for counts)."),
    ("value", "number", "Value", "The figure; blank where it is suppressed."),
    ("shown_as", "string", "Shown as", "The figure as published, or why it is not shown."),
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THEMES = ("state-of-sector", "standards-sharing", "geography-comparison")


class OpenDataError(ValueError):
    """Open data that cannot be published, with a message for the person."""


@dataclass(frozen=True)
class Addresses:
    """Where the release will be found, for the catalogue and DCAT record."""

    page: str
    csv: str
    xlsx: str
    schema: str


def open_data_schema(standard: DataStandard, threshold: int) -> dict[str, Any]:
    """The Table Schema of the published long table, checked by frictionless."""
    fields = [
        {"name": name, "type": kind, "title": title, "description": about}
        for name, kind, title, about in COLUMNS
    ]
    descriptor = {
        "name": f"{standard.slug}-pooled",
        "title": f"{standard.title}: pooled data by borough and year",
        "description": (
            f"Counts under {threshold} are suppressed and shown as “fewer than {threshold}”."
        ),
        "fields": fields,
        "missingValues": [""],
    }
    return Schema.from_descriptor(descriptor).to_descriptor()


def release_frame(release: PoolRelease) -> pd.DataFrame:
    """A release's rows as a table, in the schema's column order."""
    return pd.DataFrame(release.rows, columns=[name for name, *_ in COLUMNS])


def release_csv(release: PoolRelease) -> bytes:
    """The release as CSV (UTF-8 with a BOM, CRLF rows)."""
    return frame_to_csv(
        release_frame(release).astype(object).where(release_frame(release).notna(), "")
    )


def release_xlsx(release: PoolRelease) -> bytes:
    """The release as XLSX: the data and a sheet describing its columns."""
    about = pd.DataFrame(
        [(n, t, a) for n, _, t, a in COLUMNS], columns=["column", "title", "meaning"]
    )
    return frames_to_xlsx({"Pooled data": release_frame(release), "About": about})


def validate_release(release: PoolRelease) -> list[str]:
    """Problems frictionless finds in the release's CSV against its schema ([] when valid)."""
    resource = Resource(
        data=release_csv(release).decode("utf-8-sig").encode("utf-8"),
        format="csv",
        schema=Schema.from_descriptor(release.table_schema),
    )
    report = resource.validate()
    return [f"row {r}, {f}: {n}" for r, f, n in report.flatten(["rowNumber", "fieldName", "note"])]


def served_needs(standard: DataStandard) -> dict[int, list[str]]:
    """Need id -> the published fields that serve it (identifying fields are never shared)."""
    found: dict[int, list[str]] = {}
    for version in standard.versions:
        if not version.is_published:
            continue
        for item in version.fields:
            if not item.identifying:
                for need in item.needs:
                    names = found.setdefault(need.id, [])
                    if item.name not in names:
                        names.append(item.name)
    return found


def publish_release(
    session: DbSession,
    standard: DataStandard,
    user: User,
    addresses_for: Any,
    threshold: int = DEFAULT_THRESHOLD,
) -> PoolRelease:
    """Freeze the pooled data as the next release, enter or refresh it in the catalogue, and
    confirm its links to the needs it serves. `addresses_for(release)` gives its Addresses."""
    pooled = pool(session, standard)
    if not pooled.cells:
        raise OpenDataError("Nothing has been submitted yet, so there is nothing to publish.")
    number = 1 + (
        session.scalar(
            sa.select(sa.func.max(PoolRelease.number)).where(PoolRelease.standard_id == standard.id)
        )
        or 0
    )
    release = PoolRelease(
        standard_id=standard.id,
        number=number,
        threshold=threshold,
        rows=published_rows(pooled, threshold),
        table_schema=open_data_schema(standard, threshold),
        published_by_id=user.id,
    )
    session.add(release)
    session.flush()
    addresses = addresses_for(release)
    dataset = _catalogue_entry(session, standard, release, addresses)
    release.dataset_id = dataset.id
    _confirm_links(session, standard, dataset, user)
    session.flush()
    record(
        session,
        "pool.publish",
        "pool_release",
        release.id,
        user_id=user.id,
        workshop_id=standard.workshop_id,
        dataset=dataset.id,
    )
    return release


def _catalogue_entry(
    session: DbSession, standard: DataStandard, release: PoolRelease, addresses: Addresses
) -> Dataset:
    """The standard's dataset in the catalogue, created on the first release, refreshed later."""
    workshop = session.get(Workshop, standard.workshop_id)
    assert workshop is not None
    fields = _shared_fields(standard)
    years = sorted({row["year"] for row in release.rows})
    values = {
        "title": f"{standard.title}: pooled data by borough and year",
        "publisher": workshop.host_network or workshop.title,
        "description": (
            f"Answers to the data standard “{standard.title}” from member organisations, pooled by "
            f"London borough for {', '.join(map(str, years))}. Counts under {release.threshold} "
            "are suppressed and no individual organisation's answers are published."
        ),
        "landing_page": addresses.page,
        "licence": LICENCE,
        "keywords": ["State of the Sector", "minimum data set", *[f.title for f in fields]][:20],
        "spatial_coverage": "London",
        "granularity": "borough",
        "update_frequency": "annual",
        "access": "open",
    }
    themes = list(session.scalars(sa.select(Theme).where(Theme.slug.in_(THEMES))))
    dataset = _existing_dataset(session, standard)
    if dataset is None:
        dataset = create_dataset(session, values, themes)
    else:
        for name, value in values.items():
            setattr(dataset, name, value)
    dataset.source = "standard"
    dataset.extra = {
        "standard_id": standard.id,
        "release": release.number,
        "dcat": dcat_record(values, addresses),
    }
    session.flush()
    return dataset


def _shared_fields(standard: DataStandard) -> list[StandardField]:
    """The newest published version's fields that are shared (identifying ones never are)."""
    published = [v for v in standard.versions if v.is_published]
    return [f for f in published[-1].fields if not f.identifying] if published else []


def _existing_dataset(session: DbSession, standard: DataStandard) -> Dataset | None:
    """The catalogue entry an earlier release of this standard made."""
    query = sa.select(PoolRelease.dataset_id).where(
        PoolRelease.standard_id == standard.id, PoolRelease.dataset_id.is_not(None)
    )
    dataset_id = session.scalar(query.order_by(PoolRelease.number.desc()).limit(1))
    return session.get(Dataset, dataset_id) if dataset_id else None


def dcat_record(values: dict[str, Any], addresses: Addresses) -> dict[str, Any]:
    """The catalogue entry as a DCAT dataset in JSON-LD, with its two distributions."""
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Dataset",
        "dct:title": values["title"],
        "dct:description": values["description"],
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": values["publisher"]},
        "dcat:keyword": values["keywords"],
        "dct:spatial": "London",
        "dct:accrualPeriodicity": "http://purl.org/cld/freq/annual",
        "dct:license": LICENCE_URL,
        "dcat:landingPage": addresses.page,
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": "CSV",
                "dcat:downloadURL": addresses.csv,
                "dcat:mediaType": "text/csv",
                "dct:conformsTo": addresses.schema,
            },
            {
                "@type": "dcat:Distribution",
                "dct:title": "XLSX",
                "dcat:downloadURL": addresses.xlsx,
                "dcat:mediaType": XLSX_TYPE,
            },
        ],
    }


def _confirm_links(
    session: DbSession, standard: DataStandard, dataset: Dataset, user: User
) -> None:
    """Confirm the dataset serves each need a shared field was linked to."""
    for need_id, names in served_needs(standard).items():
        statement = session.get(Statement, need_id)
        if statement is None or statement.deleted_at is not None:
            continue
        reasons = [f"Pooled from the data standard's field {name}" for name in names]
        decide_link(
            session,
            statement,
            dataset,
            status="confirmed",
            user=user,
            coverage="serves",
            score=1.0,
            reasons=reasons,
        )


def dcat_json(dataset: Dataset) -> bytes:
    """A dataset's DCAT record as JSON-LD bytes."""
    return json.dumps(dataset.extra.get("dcat", {}), indent=2, ensure_ascii=False).encode("utf-8")


def releases_of(session: DbSession, standard: DataStandard) -> list[PoolRelease]:
    """The standard's releases, newest first."""
    query = sa.select(PoolRelease).where(PoolRelease.standard_id == standard.id)
    return list(session.scalars(query.order_by(PoolRelease.number.desc())))

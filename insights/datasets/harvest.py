"""Harvest a catalogue from where it is published: a CKAN portal (its package_search API,
paged, with an organisation or tag filter) or a data.json / DCAT URL. A harvest updates
datasets in place and reports what was added, changed and withdrawn.

The app fetches nothing unless a person asks it to harvest (or schedules a source); fetches
are http(s) only, time out, and are bounded in size and in pages.
"""

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from insights.datasets.importers import read_catalogue
from insights.datasets.models import Dataset, HarvestSource
from insights.datasets.records import DatasetRecord, safe_link
from insights.datasets.services import ImportSummary, import_records
from insights.extensions import DbSession
from insights.ingest.documents import parse_json
from insights.ingest.limits import Limits
from insights.ingest.problems import IngestError, rejected
from insights.timeutil import utcnow

PAGE_ROWS = 100
MAX_PAGES = 500
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 30
DCAT_ENDINGS = (".json", ".jsonld", ".rdf", ".ttl", ".xml")


@dataclass(frozen=True)
class HarvestPlan:
    """Where and what to harvest: a value made from a source or from the command line."""

    url: str
    kind: str  # "ckan" or "dcat"
    organisation: str = ""
    tag: str = ""
    page_rows: int = PAGE_ROWS


def plan_for_url(url: str, organisation: str = "", tag: str = "", kind: str = "") -> HarvestPlan:
    """The plan for a URL: a data.json / DCAT document, or else a CKAN portal's base address."""
    address = safe_link(url.strip())
    if not address or address.startswith("mailto:"):
        raise rejected(f"{url!r} is not an http(s) address of a CKAN portal or a catalogue.")
    path = urllib.parse.urlsplit(address).path.lower()
    guessed = "dcat" if path.endswith(DCAT_ENDINGS) or "data.json" in path else "ckan"
    return HarvestPlan(address.rstrip("/"), kind or guessed, organisation.strip(), tag.strip())


def check_address(url: str) -> None:
    """Refuse a URL that is not http(s), or whose host is this machine or a private network
    (the server would otherwise fetch its own Redis, database or a router's admin page for
    whoever typed the address), unless HARVEST_PRIVATE_ADDRESSES allows that on purpose."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise rejected(f"{url!r} is not an http(s) address.")
    if current_app.config.get("HARVEST_PRIVATE_ADDRESSES"):
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise rejected(f"{url} could not be reached: no such host.") from None
    for *_, address in found:
        if not ipaddress.ip_address(str(address[0]).split("%")[0]).is_global:
            raise rejected(
                f"{url} is on this machine or a private network, which harvesting does not "
                "reach unless the instance setting HARVEST_PRIVATE_ADDRESSES is on."
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address harvesting may reach."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str) -> bytes:
    """The body at an http(s) URL, within the size limit and the timeout."""
    check_address(url)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, headers={"User-Agent": "workshop-insights harvester", "Accept": "application/json"}
    )
    opener = urllib.request.build_opener(_CheckedRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        body = error.read(MAX_RESPONSE_BYTES + 1)
        if not body.lstrip().startswith(b"{"):
            raise rejected(f"{url} answered {error.code} {error.reason}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise rejected(f"{url} could not be reached: {getattr(error, 'reason', error)}.") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise rejected(f"{url} sent more than {MAX_RESPONSE_BYTES // 1048576} MB.")
    return body


def search_url(plan: HarvestPlan, start: int) -> str:
    """The package_search address of one page, with the organisation and tag filters."""
    filters = []
    if plan.organisation:
        filters.append(f'organization:"{plan.organisation}"')
    if plan.tag:
        filters.append(f'tags:"{plan.tag}"')
    query = {"rows": str(plan.page_rows), "start": str(start), "sort": "name asc"}
    if filters:
        query["fq"] = " AND ".join(filters)
    return f"{plan.url}/api/3/action/package_search?{urllib.parse.urlencode(query)}"


def harvest_records(plan: HarvestPlan) -> tuple[list[DatasetRecord], tuple[str, ...]]:
    """Every dataset at the source: all pages of a CKAN search, or one DCAT document."""
    if plan.kind == "dcat":
        catalogue = read_catalogue(fetch(plan.url), plan.url.rsplit("/", 1)[-1], portal=plan.url)
        return list(catalogue.records), catalogue.notes
    records: list[DatasetRecord] = []
    for page in range(MAX_PAGES):
        body = fetch(search_url(plan, page * plan.page_rows))
        count = _result_count(body)
        if count == 0:
            break
        found = read_catalogue(body, "package_search.json", portal=plan.url).records
        records.extend(found)
        if len(found) < plan.page_rows or len(records) >= count:
            break
    else:
        raise rejected(f"The portal has more than {MAX_PAGES * plan.page_rows:,} datasets.")
    return records, ()


def _result_count(body: bytes) -> int:
    """How many datasets a package_search page says match (0 for an empty search)."""
    try:
        data, _ = parse_json(body.decode("utf-8", errors="replace"), Limits())
    except IngestError:
        return -1  # let read_catalogue say what is wrong with it
    result = data.get("result") if isinstance(data, dict) else None
    if isinstance(result, dict) and isinstance(result.get("count"), int):
        return result["count"]
    return -1


def run_harvest(session: DbSession, source: HarvestSource) -> ImportSummary:
    """Harvest a source now: update in place, add what is new, withdraw what is gone."""
    plan = HarvestPlan(source.url, source.kind, source.organisation, source.tag)
    records, notes = harvest_records(plan)
    summary = import_records(session, records, source="harvest", harvest_source_id=source.id)
    summary.withdrawn = _withdraw_missing(session, source, records)
    summary.notes = notes
    source.last_run_at = utcnow()
    source.last_report = {"lines": summary.report().lines(), **_counts(summary)}
    session.flush()
    return summary


def _withdraw_missing(
    session: DbSession, source: HarvestSource, records: list[DatasetRecord]
) -> int:
    """Mark withdrawn the source's datasets that its latest harvest no longer lists."""
    seen = {record.identity for record in records if record.identity}
    withdrawn = 0
    query = sa.select(Dataset).where(
        Dataset.harvest_source_id == source.id,
        Dataset.withdrawn_at.is_(None),
        Dataset.deleted_at.is_(None),
    )
    for dataset in session.scalars(query):
        if (dataset.source_portal, dataset.identifier) not in seen:
            dataset.withdrawn_at = utcnow()
            withdrawn += 1
    return withdrawn


def _counts(summary: ImportSummary) -> dict[str, Any]:
    """A harvest's counts, as stored on its source."""
    return {
        "added": summary.created,
        "changed": summary.updated,
        "unchanged": summary.unchanged,
        "withdrawn": summary.withdrawn,
    }


def find_or_add_source(
    session: DbSession, plan: HarvestPlan, *, every_hours: int | None, user_id: int | None
) -> HarvestSource:
    """The source of this URL and filters, added if new; its schedule set as given."""
    source = session.scalar(
        sa.select(HarvestSource).where(
            HarvestSource.url == plan.url,
            HarvestSource.organisation == plan.organisation,
            HarvestSource.tag == plan.tag,
        )
    )
    if source is None:
        source = HarvestSource(
            url=plan.url,
            kind=plan.kind,
            organisation=plan.organisation,
            tag=plan.tag,
            created_by_id=user_id,
            last_report={},
        )
        session.add(source)
    if every_hours is not None:
        source.every_hours = every_hours or None
    session.flush()
    return source


def due_sources(session: DbSession) -> list[HarvestSource]:
    """The scheduled sources whose next harvest is due."""
    now = utcnow()
    sources = session.scalars(
        sa.select(HarvestSource).where(HarvestSource.every_hours.is_not(None))
    )
    return [
        source
        for source in sources
        if source.last_run_at is None
        or _aware(source.last_run_at) + timedelta(hours=source.every_hours or 0) <= now
    ]


def _aware(moment: Any) -> Any:
    """A stored time with its zone (SQLite gives them back without one)."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

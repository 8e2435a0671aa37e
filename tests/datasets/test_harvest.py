"""Harvesting from a local HTTP server on 127.0.0.1 that serves recorded real responses.

The CKAN portal serves Birmingham's recorded package_search results
(tests/data/catalogues/birmingham_package_search.json) page by page, as the portal pages them;
the data.json source serves the CFPB's recorded catalogue.
"""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.datasets.harvest import check_address, plan_for_url
from insights.datasets.models import Dataset, HarvestSource
from insights.extensions import db
from insights.ingest.problems import IngestError
from tests.factories import csrf_token_from

FILES = Path(__file__).resolve().parents[1] / "data" / "catalogues"
BIRMINGHAM = json.loads((FILES / "birmingham_package_search.json").read_text(encoding="utf-8"))


class Portal:
    """What the local server serves, and every path it was asked for."""

    def __init__(self) -> None:
        self.packages: list[dict[str, Any]] = list(BIRMINGHAM["result"]["results"])
        self.data_json = (FILES / "consumerfinance_data.json").read_bytes()
        self.requests: list[str] = []

    def answer(self, path: str) -> tuple[int, bytes]:
        """The status and body for a request path."""
        self.requests.append(path)
        parts = urlsplit(path)
        if parts.path == "/data.json":
            return 200, self.data_json
        if parts.path != "/api/3/action/package_search":
            return 404, b'{"success": false, "error": {"__type": "Not Found Error"}}'
        query = parse_qs(parts.query)
        start, rows = int(query["start"][0]), int(query["rows"][0])
        page = self.packages[start : start + rows]
        body = {
            "help": "http://127.0.0.1/api/3/action/help_show?name=package_search",
            "success": True,
            "result": {"count": len(self.packages), "results": page},
        }
        return 200, json.dumps(body).encode()


@pytest.fixture
def portal(app: Flask) -> Iterator[tuple[Portal, str]]:
    """A recorded CKAN portal and data.json on a local HTTP server, and its address (the
    instance allows harvesting from this machine, as it must for a portal on 127.0.0.1)."""
    app.config["HARVEST_PRIVATE_ADDRESSES"] = True
    served = Portal()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            status, body = served.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def harvest(runner: FlaskCliRunner, *args: str) -> str:
    """Run `insights datasets harvest …` and return what it printed."""
    result = runner.invoke(args=["datasets", "harvest", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_ckan_portal_is_harvested_page_by_page_with_an_organisation_filter(
    app: Flask, runner: FlaskCliRunner, portal: tuple[Portal, str]
) -> None:
    served, base = portal
    source = plan_for_url(base, organisation="birmingham-city-council")
    assert source.kind == "ckan"
    output = harvest(runner, base, "--organisation", "birmingham-city-council")
    assert "10 datasets added" in output
    searches = [p for p in served.requests if p.startswith("/api/3/action/package_search")]
    assert len(searches) == 1  # ten datasets fit one page of 100
    assert "fq=organization%3A%22birmingham-city-council%22" in searches[0]
    april = db.session.scalar(
        sa.select(Dataset).where(Dataset.title == "April 2021 Purchase Card Transactions")
    )
    assert april is not None
    assert april.identifier == "98702016-3d53-45cb-a00b-5bcad5d96a9a"
    assert april.source_portal == base
    assert april.landing_page == f"{base}/dataset/april-2021-purchase-card-transactions"
    assert april.formats == ["XLS"]


def test_a_harvest_again_updates_in_place_and_reports_changed_and_withdrawn(
    app: Flask, runner: FlaskCliRunner, portal: tuple[Portal, str]
) -> None:
    served, base = portal
    harvest(runner, base)
    served.packages[0] = {**served.packages[0], "title": "Purchase Card Transactions (all)"}
    gone = served.packages.pop()
    output = harvest(runner, base)
    assert "0 datasets added" in output
    assert "1 changed and updated in place" in output
    assert "8 already up to date" in output
    assert "1 withdrawn (no longer at the source)" in output
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 10  # nothing doubled
    withdrawn = db.session.scalar(sa.select(Dataset).where(Dataset.identifier == gone["id"]))
    assert withdrawn is not None and withdrawn.withdrawn_at is not None
    source = db.session.scalar(sa.select(HarvestSource))
    assert source is not None and source.last_report["withdrawn"] == 1


def test_paging_asks_for_every_page_until_the_count(app: Flask, portal: tuple[Portal, str]) -> None:
    from dataclasses import replace

    from insights.datasets.harvest import harvest_records

    served, base = portal
    records, _ = harvest_records(replace(plan_for_url(base), page_rows=4))
    assert len(records) == 10
    starts = [parse_qs(urlsplit(p).query)["start"][0] for p in served.requests]
    assert starts == ["0", "4", "8"]


def test_a_data_json_url_is_harvested_as_dcat(
    app: Flask, runner: FlaskCliRunner, portal: tuple[Portal, str]
) -> None:
    _, base = portal
    output = harvest(runner, f"{base}/data.json")
    assert "(dcat)" in output and "11 datasets added" in output
    complaints = db.session.scalar(sa.select(Dataset).where(Dataset.identifier == "CCDB"))
    assert complaints is not None and complaints.source_portal == f"{base}/data.json"


def test_a_portal_that_answers_with_an_error_is_reported_clearly(
    app: Flask, runner: FlaskCliRunner, portal: tuple[Portal, str]
) -> None:
    _, base = portal
    result = runner.invoke(args=["datasets", "harvest", f"{base}/nothing/data.json"])
    assert result.exit_code != 0
    assert "The portal answered with an error, not datasets: Not Found Error" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 0


def test_only_http_addresses_are_harvested(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["datasets", "harvest", "file:///etc/passwd"])
    assert result.exit_code != 0
    assert "is not an http(s) address" in result.output


def test_this_machine_and_private_networks_are_not_harvested_unless_allowed(
    app: Flask, runner: FlaskCliRunner, portal: tuple[Portal, str]
) -> None:
    served, base = portal
    app.config["HARVEST_PRIVATE_ADDRESSES"] = False
    result = runner.invoke(args=["datasets", "harvest", base])
    assert result.exit_code != 0
    assert "is on this machine or a private network" in result.output
    assert "HARVEST_PRIVATE_ADDRESSES" in result.output
    assert served.requests == []  # refused before anything was fetched
    for inside in (
        "http://localhost:6379/",
        "http://10.1.2.3/data.json",
        "http://192.168.1.20:5000/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ):
        with pytest.raises(IngestError, match="private network"):
            check_address(inside)
    check_address("http://8.8.8.8/data.json")  # a public address passes (nothing is fetched)


def test_the_harvest_page_adds_a_source_harvests_it_and_lists_its_report(
    app: Flask,
    client: FlaskClient,
    login,
    portal: tuple[Portal, str],  # type: ignore[no-untyped-def]
) -> None:
    _, base = portal
    login("facilitator")
    page = client.get("/datasets/harvest").get_data(as_text=True)
    assert "Address of a CKAN portal, or of a data.json / DCAT file" in page
    response = client.post(
        "/datasets/harvest",
        data={"csrf_token": csrf_token_from(page), "url": base, "every_hours": "168"},
    )
    assert response.status_code == 302
    assert "/jobs/" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 10
    listed = client.get("/datasets/harvest").get_data(as_text=True)
    assert "every 168 hours" in listed
    assert "10 datasets added" in listed

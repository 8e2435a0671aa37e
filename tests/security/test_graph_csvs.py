"""Finding: /graph/gaps.csv and /graph/links.csv skipped the formula escaping (30 raw cells)."""

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.core.exports import FORMULA_STARTS
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from tests.factories import make_statement, make_workshop

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd", "-2+3", "@SUM(A1:A9)"]


def cells(raw: bytes) -> list[list[str]]:
    """Every row of a downloaded CSV."""
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_no_graph_csv_cell_can_run_as_a_formula(
    app: Flask, client: FlaskClient, users: dict[str, User], login
) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "=Formula workshop", users["member"])
    dataset = Dataset(title="=cmd|' /C calc'!A0", publisher="+publisher")
    db.session.add(dataset)
    for text in HOSTILE:
        need = make_statement(db.session, workshop, text)
        db.session.add(
            NeedDatasetLink(statement_id=need.id, dataset=dataset, status="suggested", score=0.5)
        )
    db.session.commit()
    login("member")
    for path in ("/graph/gaps.csv", "/graph/links.csv"):
        rows = cells(client.get(path).data)
        assert len(rows) > len(HOSTILE), path
        raw = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
        assert raw == [], f"{path} left {len(raw)} cells raw: {raw[:3]}"
        assert any(cell == "'" + HOSTILE[0] for row in rows for cell in row), path

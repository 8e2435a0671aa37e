"""The next-steps download read back as people open it: each column once, counts as numbers,
text as text, and the content type said once."""

import csv
import io

from flask.testing import FlaskClient
from openpyxl import load_workbook

from insights.workshops.models import Workshop
from tests.nextsteps.conftest import add_need, add_step


def test_the_csv_names_each_column_once_and_keeps_the_needs_count(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    needs = [add_need(workshop, f"Need {n}") for n in range(3)]
    add_step(workshop, "Map the groups", statement_ids=[n.id for n in needs])
    login("member")
    response = client.get(f"/workshops/{workshop.slug}/next-steps/export?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(header) == len(set(header)), [h for h in header if header.count(h) > 1]
    assert first["needs"] == "3"
    assert first["needs_addressed"] == "Need 0; Need 1; Need 2"


def test_the_xlsx_holds_numbers_as_numbers_and_text_without_a_guard(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    need = add_need(workshop, "-1 organisations know where to look")
    add_step(workshop, "=SUM(A1:A2) is not a formula", statement_ids=[need.id], notes="@home")
    login("lead")
    response = client.get(f"/workshops/{workshop.slug}/next-steps/export?format=xlsx")
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert len(header) == len(set(header))
    assert row["needs"].value == 1 and row["needs"].data_type == "n"
    assert row["title"].value == "=SUM(A1:A2) is not a formula" and row["title"].data_type == "s"
    assert row["needs_addressed"].value == "-1 organisations know where to look"
    cells = [cell for line in sheet.iter_rows() for cell in line]
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in cells)
    assert all(c.data_type != "f" for c in cells)

"""Bulk out: a workshop's live statements as CSV (UTF-8 with BOM) or XLSX, formulas neutralised."""

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.core.exports import neutralise
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.statements.exports import EXPORT_COLUMNS, export_statements
from insights.statements.imports import import_file, plan_for
from insights.statements.models import Statement
from insights.statements.services import delete_statement, merge_statements
from insights.themes.models import StatementTheme, Theme
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_user, make_workshop

DANGEROUS = ['=HYPERLINK("http://x")', "+44 20", "-1", "@SUM(A1)", "\tindent", "\rreturn"]


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A workshop with a tagged, linked need, a challenge, and post-its that must not export."""
    workshop = make_workshop(db.session, "Data about the sector", *users.values())
    need = make_statement(db.session, workshop, "We need borough-level volunteering data")
    need.organisation = Organisation(name="Hackney CVS", borough_code="E09000012")
    need.borough_code = "E09000012"
    need.author_name = "Ama"
    quiet = make_statement(db.session, workshop, "No time to analyse data", kind="challenge")
    quiet.author_name, quiet.anonymous = "Ben", True
    tag(need, "volunteering", "accepted")
    tag(need, "geography-comparison", "suggested")
    tag(need, "funding-finance", "rejected")
    link_datasets(need)
    gone = make_statement(db.session, workshop, "Deleted post-it", kind="idea")
    twin = make_statement(db.session, workshop, "We need volunteering data by borough")
    delete_statement(db.session, gone, users["facilitator"])
    merge_statements(db.session, need, [twin], users["facilitator"])
    db.session.commit()
    return workshop


def tag(statement: Statement, slug: str, decision: str) -> None:
    """Put a starter theme on a statement with a decision."""
    theme = db.session.scalars(sa.select(Theme).where(Theme.slug == slug)).one()
    db.session.add(StatementTheme(statement_id=statement.id, theme_id=theme.id, decision=decision))


def link_datasets(statement: Statement) -> None:
    """Two confirmed datasets, a rejected one, and seven suggestions of falling score."""
    for title, status, score in [
        ("NCVO Almanac", "confirmed", 0.9),
        ("Community Life Survey", "confirmed", 0.8),
        ("Rejected register", "rejected", 0.99),
        *[(f"Suggestion {n}", "suggested", 0.7 - n / 10) for n in range(7)],
    ]:
        dataset = Dataset(title=title)
        db.session.add(dataset)
        db.session.flush()
        db.session.add(
            NeedDatasetLink(
                statement_id=statement.id, dataset_id=dataset.id, status=status, score=score
            )
        )


def read_csv_export(data: bytes) -> pd.DataFrame:
    """An exported CSV read back as Excel would: UTF-8 with BOM, every cell text."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_export_csv_has_a_row_per_live_statement_with_themes_and_datasets(
    workshop: Workshop,
) -> None:
    data = export_statements(db.session, workshop, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    frame = read_csv_export(data)
    assert list(frame.columns) == list(EXPORT_COLUMNS)
    assert frame["text"].tolist() == [
        "We need borough-level volunteering data",
        "No time to analyse data",
    ]
    need, challenge = frame.to_dict("records")
    assert need["workshop"] == workshop.slug
    assert (need["exercise"], need["kind"]) == ("Uses of data", "need")
    assert (need["organisation"], need["borough"], need["author"]) == (
        "Hackney CVS",
        "Hackney",
        "Ama",
    )
    assert need["themes"] == "volunteering;geography-comparison"
    assert need["datasets"] == "NCVO Almanac;Community Life Survey"
    assert need["suggested_datasets"] == ";".join(f"Suggestion {n}" for n in range(5))
    assert datetime.strptime(need["created_at"], "%Y-%m-%d %H:%M:%S")
    assert challenge["author"] == ""  # anonymous
    assert challenge["themes"] == challenge["datasets"] == ""


def test_export_xlsx_reads_back_with_openpyxl(workshop: Workshop) -> None:
    data = export_statements(db.session, workshop, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    record = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    assert record["text"] == "We need borough-level volunteering data"
    assert record["themes"] == "volunteering;geography-comparison"
    assert isinstance(record["created_at"], datetime)
    assert len(rows) == 3


def test_export_neutralises_formula_injection_in_csv_and_xlsx(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Formulas")
    for text in DANGEROUS:
        statement = make_statement(db.session, workshop, text, kind="idea")
        statement.author_name = "=cmd|' /C calc'!A0"
    db.session.commit()
    frame = read_csv_export(export_statements(db.session, workshop, "csv"))
    assert frame["text"].tolist() == ["'" + text for text in DANGEROUS]
    assert set(frame["author"]) == {"'=cmd|' /C calc'!A0"}
    sheet = openpyxl.load_workbook(
        io.BytesIO(export_statements(db.session, workshop, "xlsx"))
    ).active
    texts = [row[4] for row in sheet.iter_rows(min_row=2)]
    # depending on the XML parser, a carriage return may read back as a line feed
    values = [cell.value.replace("\r", "\n") for cell in texts]
    # XLSX has cell types: the words are shown exactly, in string cells that never run
    assert values == [text.replace("\r", "\n") for text in DANGEROUS]
    assert {cell.data_type for cell in texts} == {"s"}
    assert not any(str(cell.value).startswith("'") for row in sheet.iter_rows() for cell in row)


def test_neutralise_leaves_safe_values_alone() -> None:
    assert neutralise("We need data") == "We need data"
    assert neutralise("") == ""
    assert neutralise(42) == 42
    assert neutralise("=1+1") == "'=1+1"


def test_export_then_import_round_trips_the_words(app: Flask, users: dict[str, User]) -> None:
    source = make_workshop(db.session, "Source")
    for text in ["Registers of small groups", *DANGEROUS[:4]]:
        make_statement(db.session, source, text, kind="source")
    targets = {
        "csv": make_workshop(db.session, "Target"),
        "xlsx": make_workshop(db.session, "Other"),
    }
    db.session.commit()
    expected = ["Registers of small groups", *DANGEROUS[:4]]
    for file_format, target in targets.items():
        data = export_statements(db.session, source, file_format)
        import_file(db.session, plan_for(db.session, target), data, f"export.{file_format}")
        texts = db.session.scalars(
            sa.select(Statement.text)
            .where(Statement.workshop_id == target.id)
            .order_by(Statement.id)
        ).all()
        assert texts == expected
        again = import_file(db.session, plan_for(db.session, target), data, f"export.{file_format}")
        assert (again.added, again.skipped_duplicates) == (0, 5)  # a re-import doubles nothing


def test_export_cli_writes_csv_and_xlsx(
    runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    for file_format in ("csv", "xlsx"):
        out = tmp_path / f"statements.{file_format}"
        result = runner.invoke(
            args=[
                "statements",
                "export",
                "--workshop",
                workshop.slug,
                "--format",
                file_format,
                "--out",
                str(out),
            ]
        )
        assert result.exit_code == 0, result.output
        assert f"Exported {workshop.slug} to {out}." in result.output
    assert len(read_csv_export((tmp_path / "statements.csv").read_bytes())) == 2
    assert len(pd.read_excel(tmp_path / "statements.xlsx", dtype=str)) == 2


def test_export_download_for_a_member_of_the_workshop(
    client: FlaskClient, workshop: Workshop, login
) -> None:  # type: ignore[no-untyped-def]
    login("member")
    response = client.get(f"/workshops/{workshop.slug}/export?format=xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{workshop.slug}-statements.xlsx"'
    )
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "no-store" in response.headers["Cache-Control"]
    assert len(pd.read_excel(io.BytesIO(response.data))) == 2
    csv_response = client.get(f"/workshops/{workshop.slug}/export")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert len(read_csv_export(csv_response.data)) == 2
    assert client.get(f"/workshops/{workshop.slug}/export?format=pdf").status_code == 404


def test_export_download_is_hidden_from_people_outside_the_workshop(
    client: FlaskClient, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import log_in

    outsider = make_user(db.session, "member")
    db.session.commit()
    log_in(client, outsider.email)
    assert client.get(f"/workshops/{workshop.slug}/export").status_code == 404


def test_export_of_a_deleted_statement_leaves_it_out(workshop: Workshop, users) -> None:  # type: ignore[no-untyped-def]
    statement = db.session.scalars(
        sa.select(Statement).where(Statement.text == "No time to analyse data")
    ).one()
    statement.deleted_at = utcnow()
    db.session.commit()
    frame = read_csv_export(export_statements(db.session, workshop, "csv"))
    assert frame["text"].tolist() == ["We need borough-level volunteering data"]


def test_a_fresh_import_exports_its_suggested_datasets_without_any_other_command(
    runner: FlaskCliRunner, users: dict[str, User], tmp_path: Path
) -> None:
    assert runner.invoke(args=["datasets", "load-starter"]).exit_code == 0
    workshop = make_workshop(db.session, "Fresh import", *users.values())
    db.session.commit()
    postits = tmp_path / "postits.csv"
    postits.write_text(
        "text,kind\n"
        "Which funders give grants to small groups in Newham,need\n"
        "There is no complete dataset of local authority grants,challenge\n"
        "Lunch was great,idea\n",
        encoding="utf-8",
    )
    imported = runner.invoke(
        args=["statements", "import", str(postits), "--workshop", workshop.slug]
    )
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out.csv"
    exported = runner.invoke(
        args=["statements", "export", "--workshop", workshop.slug, "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    rows = {row["text"]: row for _, row in pd.read_csv(out, encoding="utf-8-sig").iterrows()}
    need = rows["Which funders give grants to small groups in Newham"]["suggested_datasets"]
    assert need.split(";")[0] in {"GrantNav", "360Giving Datastore"}
    challenge = rows["There is no complete dataset of local authority grants"]
    assert "Grants to voluntary" in challenge["suggested_datasets"]
    assert pd.isna(rows["Lunch was great"]["suggested_datasets"])

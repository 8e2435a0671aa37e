"""Bulk in: CSV / XLSX files and pasted lines become statements, every row checked, all or none."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from insights.extensions import db
from insights.organisations.models import Organisation
from insights.statements.imports import (
    ImportRejected,
    Limits,
    guess_mapping,
    import_file,
    paste_statements,
    plan_for,
    read_table,
)
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Workshop
from tests.factories import make_workshop

DATA = Path(__file__).resolve().parents[1] / "data" / "statements"


@pytest.fixture
def workshop(app: Flask) -> Workshop:
    """A committed workshop with the five template exercises."""
    workshop = make_workshop(db.session, "Data about the sector")
    db.session.commit()
    return workshop


def csv_bytes(rows: list[list[str]], bom: bool = False) -> bytes:
    """A CSV file's bytes from rows (the first is the header)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """An XLSX workbook's bytes from rows (the first is the header)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statement_count() -> int:
    """How many statements the database holds."""
    return db.session.scalar(sa.select(sa.func.count(Statement.id))) or 0


def import_rows(workshop: Workshop, rows: list[list[str]], **options: object):  # type: ignore[no-untyped-def]
    """Import rows as a CSV file into the workshop; returns the result."""
    kind = options.pop("kind", None)
    plan = plan_for(db.session, workshop, kind=kind)  # type: ignore[arg-type]
    return import_file(db.session, plan, csv_bytes(rows), "postits.csv", **options)  # type: ignore[arg-type]


def rejection(workshop: Workshop, rows: list[list[str]], **options: object) -> ImportRejected:
    """The refusal an import of these rows meets; fails when it is accepted."""
    with pytest.raises(ImportRejected) as caught:
        import_rows(workshop, rows, **options)
    db.session.rollback()
    assert statement_count() == 0
    return caught.value


def write_big_csv(path: Path, rows: int) -> Path:
    """A CSV of many post-its, across kinds, organisations and boroughs."""
    kinds = ["need", "source", "challenge", "collected", "idea"]
    boroughs = ["Hackney", "Camden", "Islington", "Tower Hamlets", "E09000033"]
    body = [["text", "kind", "organisation", "borough", "author"]]
    for number in range(rows):
        body.append(
            [
                f"Post-it number {number}: we need borough-level volunteering data",
                kinds[number % 5],
                f"Organisation {number % 40}",
                boroughs[number % 5],
                f"Person {number % 16}",
            ]
        )
    path.write_bytes(csv_bytes(body))
    return path


# --- the command line ----------------------------------------------------------------------


def test_import_cli_imports_a_10000_row_csv(
    runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    big = write_big_csv(tmp_path / "big.csv", 10_000)
    result = runner.invoke(
        args=["statements", "import", str(big), "--workshop", workshop.slug, "--no-tag"]
    )
    assert result.exit_code == 0, result.output
    assert "10,000 post-its added" in result.output
    assert statement_count() == 10_000
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NeedDetail)) == 2_000
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 40
    sources = db.session.scalars(sa.select(Statement.source).distinct()).all()
    assert sources == ["import"]


def test_import_cli_with_one_bad_row_imports_nothing_and_names_the_row(
    runner: FlaskCliRunner, workshop: Workshop
) -> None:
    result = runner.invoke(
        args=["statements", "import", str(DATA / "one_bad_row.csv"), "--workshop", workshop.slug]
    )
    assert result.exit_code != 0
    assert "row 7, column 'borough': 'Narnia' is not a London borough." in result.output
    assert "Nothing was imported" in result.output
    assert statement_count() == 0


def test_import_cli_refuses_an_unknown_workshop(runner: FlaskCliRunner, app: Flask) -> None:
    result = runner.invoke(
        args=["statements", "import", str(DATA / "one_bad_row.csv"), "--workshop", "nope"]
    )
    assert result.exit_code != 0
    assert "There is no workshop 'nope'" in result.output


def test_import_cli_applies_the_kind_default_and_column_mapping(
    runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    path = tmp_path / "ideas.csv"
    path.write_bytes(csv_bytes([["Said", "Who"], ["Pool data across boroughs", "Ama"]]))
    result = runner.invoke(
        args=[
            "statements",
            "import",
            str(path),
            "--workshop",
            workshop.slug,
            "--kind",
            "idea",
            "--map",
            "Said=text",
            "--map",
            "Who=author",
        ]
    )
    assert result.exit_code == 0, result.output
    statement = db.session.scalars(sa.select(Statement)).one()
    assert (statement.kind, statement.author_name) == ("idea", "Ama")
    assert statement.exercise is not None and statement.exercise.key == "ideas"


def test_import_cli_errors_name_the_columns_and_the_option_that_fixes_them(
    runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes(csv_bytes([["Said", "Who"], ["Pool data across boroughs", "Ama"]]))
    args = ["statements", "import", str(path), "--workshop", workshop.slug]
    no_text = runner.invoke(args=args)
    assert no_text.exit_code == 1
    assert "Read headers in row 1: 'Said', 'Who'." in no_text.output
    assert "--map COLUMN=text" in no_text.output
    no_kind = runner.invoke(args=[*args, "--map", "Said=text"])
    assert "--kind need, or --map COLUMN=kind" in no_kind.output
    assert "Read headers in row 1: 'Said', 'Who'." in no_kind.output
    sheet = runner.invoke(args=[*args, "--kind", "idea", "--sheet", "Responses"])
    assert "A CSV file has no sheets, so there is no sheet 'Responses' to read" in sheet.output
    assert "Nothing was imported: 1 problem." in sheet.output
    assert statement_count() == 0


def test_import_cli_obeys_the_row_limit_of_the_app(
    app: Flask, runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    app.config["MAX_IMPORT_ROWS"] = 100
    big = write_big_csv(tmp_path / "big.csv", 101)
    result = runner.invoke(
        args=["statements", "import", str(big), "--workshop", workshop.slug, "--no-tag"]
    )
    assert result.exit_code != 0
    assert "more than 100 rows" in result.output
    assert statement_count() == 0


# --- reading and mapping -------------------------------------------------------------------


def test_import_reads_a_utf8_csv_with_bom_mapping_headers_by_their_words(
    workshop: Workshop,
) -> None:
    plan = plan_for(db.session, workshop)
    data = (DATA / "workshop_postits.csv").read_bytes()
    result = import_file(db.session, plan, data, "workshop_postits.csv")
    db.session.commit()
    assert result.count == 5
    statements = db.session.scalars(sa.select(Statement).order_by(Statement.id)).all()
    first = statements[0]
    assert first.text == "We need borough-level volunteering data"
    assert (first.kind, first.author_name, first.borough_code) == ("need", "Ama", "E09000012")
    assert first.exercise is not None and first.exercise.key == "uses"
    assert first.need is not None
    assert first.said_on is not None
    assert first.said_on.replace(tzinfo=UTC) == datetime(2021, 9, 15, 23, 0, tzinfo=UTC)
    assert statements[1].organisation_id == first.organisation_id  # Hackney CVS, once
    assert statements[2].borough_code == "E09000007"  # by ONS code
    assert statements[4].kind == "idea"  # "Idea", any case
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 3


def test_guess_mapping_reads_common_headers() -> None:
    headers = ["Post-it text", "Type", "Question", "Organization", "Local authority", "Name"]
    assert guess_mapping(headers) == {
        "Post-it text": "text",
        "Type": "kind",
        "Question": "exercise",
        "Organization": "organisation",
        "Local authority": "borough",
        "Name": "author",
    }
    assert guess_mapping(["Organisation", "Organisation type", "Comment"]) == {
        "Organisation": "organisation",
        "Organisation type": "note",  # kept as a note: nothing is dropped unsaid
        "Comment": "text",
    }


def test_import_reuses_an_existing_organisation_in_any_case(workshop: Workshop) -> None:
    db.session.add(Organisation(name="Hackney CVS"))
    db.session.commit()
    import_rows(workshop, [["text", "kind", "org"], ["Need data", "need", "HACKNEY  cvs"]])
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1


def test_import_takes_the_exercise_by_key_or_title(workshop: Workshop) -> None:
    rows = [["text", "exercise"], ["The register", "sources"], ["No time", "Challenges"]]
    import_rows(workshop, rows)
    kinds = db.session.scalars(sa.select(Statement.kind).order_by(Statement.id)).all()
    assert kinds == ["source", "challenge"]


def test_import_reads_semicolon_separated_csv(workshop: Workshop) -> None:
    data = b"text;kind\nWe need data; lots of it;need\n"
    with pytest.raises(ImportRejected):  # an unquoted separator inside a cell is refused
        import_file(db.session, plan_for(db.session, workshop), data, "x.csv")
    data = b'text;kind\n"We need data; lots of it";need\nRegisters;source\n'
    result = import_file(db.session, plan_for(db.session, workshop), data, "x.csv")
    assert result.count == 2


def test_import_skips_blank_rows_but_keeps_spreadsheet_row_numbers(workshop: Workshop) -> None:
    rows = [["text", "kind"], ["One", "need"], ["", ""], ["Two", "needz"]]
    problem = rejection(workshop, rows).problems[0]
    assert (problem.row, problem.column) == (4, "kind")


def test_import_of_an_xlsx_workbook(workshop: Workshop) -> None:
    data = xlsx_bytes(
        [
            ["Statement", "Kind", "Borough", "Date"],
            ["We need ward-level data", "need", "Hackney", datetime(2021, 9, 16, 10, 30)],
            ["Small groups are invisible", "Challenge", "camden", None],
            [None, None, None, None],
            [12345, "collected", "", None],
        ]
    )
    result = import_file(db.session, plan_for(db.session, workshop), data, "postits.xlsx")
    assert result.count == 3
    texts = db.session.scalars(sa.select(Statement.text).order_by(Statement.id)).all()
    assert texts == ["We need ward-level data", "Small groups are invisible", "12345"]
    said_on = db.session.scalars(sa.select(Statement.said_on).order_by(Statement.id)).first()
    assert said_on is not None and said_on.replace(tzinfo=UTC).hour == 9  # 10:30 BST


def test_import_of_an_xlsx_workbook_names_the_bad_row(workshop: Workshop) -> None:
    data = xlsx_bytes([["text", "kind"], ["Fine", "need"], ["Words", "wish"]])
    with pytest.raises(ImportRejected) as caught:
        import_file(db.session, plan_for(db.session, workshop), data, "postits.xlsx")
    assert str(caught.value.problems[0]).startswith("row 3, column 'kind': Unknown kind 'wish'")


def test_blank_answers_are_skipped_and_counted_not_refused(workshop: Workshop) -> None:
    rows = [["text", "kind"], ["Fine", "need"], ["   ", "need"], ["", "idea"], ["", ""]]
    report = import_rows(workshop, rows)
    assert (report.added, report.skipped_blank) == (1, 2)  # the wholly blank row is no answer
    assert "2 blank answers skipped" in report.lines()


def test_long_answers_are_kept_whole_up_to_the_import_limit(workshop: Workshop) -> None:
    long = "We need data. " * 1_400  # 19,600 characters
    report = import_rows(workshop, [["text", "kind"], [long, "need"]])
    assert report.added == 1
    assert db.session.scalar(sa.select(Statement.text)) == long.strip()
    too_long = rejection(workshop, [["text", "kind"], ["x" * 20_001, "need"]]).problems[0]
    assert "the limit for imported post-its is 20,000" in too_long.message


# --- bad input, each with its clear message --------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["Some words", "wish"], "kind", "Unknown kind 'wish': choose one of need, source,"),
        (["Some words", "need", "dreams"], "exercise", "This workshop has no exercise 'dreams' ("),
        (["Some words", "need", "", "Narnia"], "borough", "'Narnia' is not a London borough."),
        (["Words", "need", "", "", "31/31/2021"], "date", "'31/31/2021' is not a date"),
    ],
)
def test_import_rejects_a_bad_cell_with_a_clear_message(
    workshop: Workshop, cells: list[str], column: str, message: str
) -> None:
    header = ["text", "kind", "exercise", "borough", "date"][: len(cells)]
    rows = [header, ["Fine words", "need", "", "", ""][: len(cells)], cells]
    problems = rejection(workshop, rows).problems
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (3, column)
    assert message in problems[0].message


def test_import_lists_every_bad_row_not_just_the_first(workshop: Workshop) -> None:
    rows = [
        ["text", "kind"],
        ["ok", "wish"],
        ["ok", "need"],
        ["ok", "nope"],
        ["x" * 20_001, "idea"],
    ]
    problems = rejection(workshop, rows).problems
    assert [(p.row, p.column) for p in problems] == [(2, "kind"), (4, "kind"), (5, "text")]


def test_one_problem_on_many_rows_is_reported_once_with_its_rows(workshop: Workshop) -> None:
    rows = [["text", "kind"]] + [[f"Words {n}", "wish"] for n in range(8)]
    problems = rejection(workshop, rows).problems
    assert [str(p) for p in problems] == [
        "rows 2, 3, 4, 5, 6 and 3 more, column 'kind': Unknown kind 'wish': choose one of "
        "need, source, challenge, collected, idea, next-step."
    ]


def test_import_rejects_rows_without_a_kind_when_no_default_is_given(workshop: Workshop) -> None:
    problems = rejection(workshop, [["text", "Said by"], ["Words", "Ann"]]).problems
    assert "names no kind or exercise" in problems[0].message
    # the error names the fix: the kinds, the options, and the columns there are to map
    assert "need, source, challenge, collected, idea, next-step" in problems[0].message
    assert "--kind need, or --map COLUMN=kind" in problems[0].message
    assert problems[1].message == "Read headers in row 1: 'text', 'Said by'."


def test_import_reads_a_windows_1252_file_and_says_so(workshop: Workshop) -> None:
    data = (DATA / "latin1.csv").read_bytes()
    table = read_table(data, "latin1.csv")
    assert "é" in " ".join(table.frame.iloc[:, 0].tolist())
    assert table.notes == ("The file was read as Windows-1252 text (it is not UTF-8).",)


def test_import_reads_utf16_as_excel_saves_unicode_text(workshop: Workshop) -> None:
    data = "text\tkind\nCafé data for Tower Hamlets\tneed\n".encode("utf-16")
    report = import_file(db.session, plan_for(db.session, workshop), data, "unicode.txt")
    assert report.added == 1
    assert db.session.scalar(sa.select(Statement.text)) == "Café data for Tower Hamlets"


def test_import_refuses_binary_bytes_naming_the_line(workshop: Workshop) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table(b"text\nfine\n\x00\x9f\x92\x96\xff\xfe\x00\x81", "x.csv")
    assert "line 3" in str(caught.value) and "CSV UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "notes.pdf", "A .pdf file is not CSV or XLSX"),
        (b"%PDF-1.7\n\x00\x01binary", "notes.csv", "The file is not CSV or XLSX: it is a PDF."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "old Excel .xls format"),
        (b"text,kind\nWords,need\n", "postits.xlsx", "named .xlsx but is not an Excel workbook"),
        (b"", "empty.csv", "The file is empty."),
        (b'{"text": "json"}', "data.json", "This JSON file is not a Trello board export"),
    ],
)
def test_import_refuses_files_that_are_not_csv_or_xlsx(
    workshop: Workshop, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file(db.session, plan_for(db.session, workshop), data, filename)
    assert message in str(caught.value)


def test_import_refuses_a_zip_that_is_not_a_workbook(workshop: Workshop) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportRejected) as caught:
        import_file(db.session, plan_for(db.session, workshop), buffer.getvalue(), "a.xlsx")
    assert "zip archive, not a CSV or XLSX" in str(caught.value)


def test_import_refuses_a_file_without_a_text_column(workshop: Workshop) -> None:
    problem = rejection(workshop, [["kind", "borough"], ["need", "Hackney"]]).problems[0]
    assert problem.row is None
    assert problem.message.startswith("No column holds the post-it text")


def test_import_refuses_an_override_naming_a_missing_column_or_field(workshop: Workshop) -> None:
    rows = [["Said"], ["Words"]]
    problems = rejection(workshop, rows, overrides={"Sayd": "text", "Said": "txt"}).problems
    assert [p.message for p in problems] == [
        "The file has no column 'Sayd'; its columns are 'Said'.",
        "'txt' is not a field: use one of text, title, kind, exercise, group, organisation, "
        "borough, author, date, votes, colour, note or ignore.",
        "Read headers in row 1: 'Said'. To read another header row: --header-row N.",
    ]


def test_import_refuses_too_many_rows(workshop: Workshop) -> None:
    rows = [["text", "kind"]] + [[f"Post-it {n}", "need"] for n in range(11)]
    problem = rejection(workshop, rows, limits=Limits(max_rows=10)).problems[0]
    assert problem.message == "The file has more than 10 rows; split it and import each part."


def test_import_refuses_a_file_over_the_size_limit(workshop: Workshop) -> None:
    rows = [["text", "kind"], ["x" * 2000, "need"]]
    problem = rejection(workshop, rows, limits=Limits(max_bytes=1024)).problems[0]
    assert problem.message == "The file is 2 KB; the limit is 1 KB."


def test_read_table_refuses_a_ragged_csv_with_the_reason() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table(b"text,kind\nWords,need,extra,more\n", "x.csv")
    assert "Some rows have more cells than the header" in str(caught.value)
    with pytest.raises(ImportRejected) as caught:
        read_table(b"text,kind\nWords,need\nWe need data, lots,need\n", "x.csv")
    assert str(caught.value) == (
        "Line 3 has 3 cells but the header has 2: put quotes around cells that contain a comma (,)."
    )


# --- paste --------------------------------------------------------------------------------------


def test_paste_adds_one_post_it_per_line_with_kind_prefixes(workshop: Workshop) -> None:
    text = (
        "We need borough-level volunteering data\n"
        "\n"
        "challenge: no time to analyse data\n"
        "  Next step:  agree small steps with tangible outcomes  \n"
        "Note: this one keeps its colon\n"
        "IDEA: pool data across boroughs\n"
    )
    plan = plan_for(db.session, workshop, exercise="uses")
    result = paste_statements(db.session, plan, text)
    db.session.commit()
    assert result.count == 5
    rows = db.session.execute(
        sa.select(Statement.kind, Statement.text, Statement.source).order_by(Statement.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("need", "We need borough-level volunteering data", "paste"),
        ("challenge", "no time to analyse data", "paste"),
        ("next-step", "agree small steps with tangible outcomes", "paste"),
        ("need", "Note: this one keeps its colon", "paste"),
        ("idea", "pool data across boroughs", "paste"),
    ]
    exercises = db.session.scalars(sa.select(Statement.exercise_id).order_by(Statement.id)).all()
    keys = {e.id: e.key for e in workshop.exercises}
    assert [keys.get(e) if e else None for e in exercises] == [
        "uses",
        "challenges",
        None,
        "uses",
        "ideas",
    ]


def test_paste_with_one_bad_line_adds_nothing_and_names_the_line(workshop: Workshop) -> None:
    text = "First post-it\nsource:\n" + "x" * 20_001
    plan = plan_for(db.session, workshop, exercise="uses")
    with pytest.raises(ImportRejected) as caught:
        paste_statements(db.session, plan, text)
    db.session.rollback()
    assert [str(p) for p in caught.value.problems] == [
        "line 3: The answer is 20,001 characters long; the limit for imported post-its is 20,000."
    ]
    assert statement_count() == 0


def test_paste_of_nothing_but_blank_lines_is_refused(workshop: Workshop) -> None:
    with pytest.raises(ImportRejected) as caught:
        paste_statements(db.session, plan_for(db.session, workshop), "\n  \n\t\n")
    assert "There are no post-its to add" in str(caught.value)

"""Property tests: whatever bytes or text reach the importer, it either stores every row or
refuses with ImportRejected and writes nothing."""

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.extensions import db
from insights.organisations.models import Organisation
from insights.statements.imports import ImportRejected, import_file, paste_statements, plan_for
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Workshop
from tests.factories import make_workshop

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cells = st.text(max_size=40)
kinds = st.sampled_from(["need", "idea", "Next step", "wish", "", "  SOURCE "])
boroughs = st.sampled_from(["", "Hackney", "Narnia", "E09000001", "city of london"])
rows = st.lists(st.tuples(cells, kinds, boroughs, cells), max_size=15)


@pytest.fixture
def workshop(app: Flask) -> Workshop:
    """A committed workshop with the template exercises."""
    workshop = make_workshop(db.session, "Properties")
    db.session.commit()
    return workshop


def table_counts() -> tuple[int, int, int]:
    """Rows in the tables an import writes to (flushing anything pending, on purpose)."""
    return (
        db.session.scalar(sa.select(sa.func.count(Statement.id))) or 0,
        db.session.scalar(sa.select(sa.func.count()).select_from(NeedDetail)) or 0,
        db.session.scalar(sa.select(sa.func.count(Organisation.id))) or 0,
    )


def assert_all_or_nothing(attempt) -> None:  # type: ignore[no-untyped-def]
    """Run an import: it stores every row it reports, or raises ImportRejected, storing none."""
    before = table_counts()
    try:
        result = attempt()
    except ImportRejected as rejected:
        assert rejected.problems
        assert table_counts() == before
    else:
        assert result.count > 0
        assert table_counts()[0] == before[0] + result.count
    finally:
        db.session.rollback()


def csv_of(body: list[tuple[str, str, str, str]]) -> bytes:
    """A CSV file of post-its with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "kind", "borough", "organisation"])
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


def xlsx_of(body: list[tuple[str, str, str, str]]) -> bytes:
    """An XLSX workbook of post-its with a header row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["text", "kind", "borough", "organisation"])
    for row in body:
        sheet.append([_xml_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xml_safe(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 32 and c not in "\ufffe\uffff"))


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000), filename=st.sampled_from(["a.csv", "a.xlsx", "a", "a.pdf"]))
def test_random_bytes_raise_only_import_rejected_and_write_nothing_partial(
    workshop: Workshop, data: bytes, filename: str
) -> None:
    plan = plan_for(db.session, workshop, kind="need")
    assert_all_or_nothing(lambda: import_file(db.session, plan, data, filename))


@PROPERTY_SETTINGS
@given(body=rows, prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"PK\x03\x04"]))
def test_random_csv_files_import_every_row_or_none(
    workshop: Workshop, body: list[tuple[str, str, str, str]], prefix: bytes
) -> None:
    data = prefix + csv_of(body)
    plan = plan_for(db.session, workshop)
    assert_all_or_nothing(lambda: import_file(db.session, plan, data, "postits.csv"))


@PROPERTY_SETTINGS
@given(body=rows, flips=st.lists(st.integers(min_value=0), max_size=3))
def test_random_and_damaged_xlsx_files_import_every_row_or_none(
    workshop: Workshop, body: list[tuple[str, str, str, str]], flips: list[int]
) -> None:
    data = bytearray(xlsx_of(body))
    for position in flips:
        data[position % len(data)] ^= 0xFF
    plan = plan_for(db.session, workshop)
    assert_all_or_nothing(lambda: import_file(db.session, plan, bytes(data), "postits.xlsx"))


@PROPERTY_SETTINGS
@given(text=st.text(max_size=400))
def test_random_pasted_text_adds_every_line_or_none(workshop: Workshop, text: str) -> None:
    plan = plan_for(db.session, workshop, exercise="uses")
    assert_all_or_nothing(lambda: paste_statements(db.session, plan, text))

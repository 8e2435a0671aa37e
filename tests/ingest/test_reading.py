"""The ingestion layer reads within bounds: hostile shapes are refused fast, real ones read."""

import io
import time

import openpyxl
import pytest

from insights.ingest.documents import read_document
from insights.ingest.encoding import decode_text
from insights.ingest.limits import Limits
from insights.ingest.problems import ImportRejected
from insights.ingest.reading import read_table
from tests.ingest import hostile


def refusal(call, *args, **kwargs) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    """The message a call is refused with, and the seconds it took; fails if it is accepted."""
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as caught:
        call(*args, **kwargs)
    return str(caught.value), time.perf_counter() - started


def test_a_small_workbook_with_a_cell_in_column_xfd_is_refused_in_under_a_second() -> None:
    data = hostile.wide_xlsx()
    assert len(data) < 30_000
    message, seconds = refusal(read_table, data, "wide.xlsx")
    assert "has a cell in column XFD (16,384); the limit is 500 columns" in message
    assert seconds < 1


def test_a_csv_with_900000_header_columns_is_refused_before_parsing() -> None:
    message, seconds = refusal(read_table, hostile.wide_header_csv(), "wide.csv")
    assert "The first line holds more than 500 columns (separated by comma (,))" in message
    assert seconds < 1


def test_five_megabytes_of_commas_are_refused_at_once() -> None:
    message, seconds = refusal(read_table, hostile.commas(), "commas.csv")
    assert "more than 500 columns" in message
    assert seconds < 1


def test_a_file_over_the_cell_limit_is_refused() -> None:
    data = ("a,b,c,d\n" + "1,2,3,4\n" * 1000).encode()
    message, _ = refusal(read_table, data, "x.csv", Limits(max_cells=2_000))
    assert "more than 2,000 cells" in message


def test_deep_json_is_refused_not_a_traceback() -> None:
    message, seconds = refusal(read_document, hostile.deep_json(), "deep.json")
    assert "nested more than 64 levels deep" in message
    assert seconds < 1


def test_a_title_row_above_the_header_is_skipped_and_said() -> None:
    data = b"Workshop export, 3 May 2024\n\ntext,kind,author\nWe need data,need,Ann\n"
    table = read_table(data, "x.csv")
    assert table.headers == ["text", "kind", "author"]
    assert table.header_row == 3
    assert table.frame.iloc[0, 0] == "We need data"
    assert "The headers are in row 3; the 2 row(s) above them were skipped." in table.notes


def test_a_workbook_with_a_cover_sheet_reads_the_sheet_holding_the_post_its() -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "About"
    cover.append(["Exported from our workshop tool"])
    data_sheet = workbook.create_sheet("Responses")
    data_sheet.append(["Mentimeter results"])
    data_sheet.append(["Question", "Response"])
    data_sheet.append(["What data do you need?", "Ward-level volunteering data"])
    data_sheet.append(["What data do you need?", "Grant data by borough"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "menti.xlsx")
    assert (table.sheet, table.header_row, table.sheets) == ("Responses", 2, ("About", "Responses"))
    assert table.headers == ["Question", "Response"]
    assert len(table.frame) == 2
    chosen = read_table(buffer.getvalue(), "menti.xlsx", sheet="About")
    assert chosen.sheet == "About"


def test_surveymonkeys_second_header_row_is_merged() -> None:
    data = (
        b"Respondent ID,Collector ID,What data do you need?,Which borough?\n"
        b",,Open-Ended Response,Response\n"
        b"1,2,Ward data,Hackney\n"
    )
    table = read_table(data, "monkey.csv")
    assert table.headers[2:] == ["What data do you need?", "Which borough?"]
    assert len(table.frame) == 1


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("Café\n".encode("utf-16"), "utf-16-le", "Café\n"),
        ("Café\n".encode("utf-8-sig"), "utf-8", "Café\n"),
        ("Café\n".encode(), "utf-8", "Café\n"),
        (
            "Données sur le bénévolat, £5\n".encode("cp1252"),
            "cp1252",
            "Données sur le bénévolat, £5\n",
        ),
    ],
)
def test_one_encoding_rule_reads_utf16_utf8_and_windows_text(
    data: bytes, encoding: str, text: str
) -> None:
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.text) == (encoding, text)

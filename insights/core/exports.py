"""The one escaping path for every file a person downloads: CSV and XLSX cells that no
spreadsheet runs as a formula.

CSV has no cell types, so a text cell starting like a formula gets a leading apostrophe
(OWASP's advice for CSV injection). XLSX has them: such a cell is written as a plain string
cell, so Excel shows exactly what was typed and runs nothing.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A CSV text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV rows, every cell guarded; UTF-8 with a BOM (Excel reads accents) and CRLF rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """A data frame as guarded CSV; times as YYYY-MM-DD HH:MM:SS."""
    safe = frame.map(neutralise)
    # With CRLF as the row end, csv quotes every cell holding a lone CR or LF, as it must.
    text = safe.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """One cell as openpyxl should write it: text as a string cell (never a formula),
    no characters XML forbids, no NaN."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def guard_workbook(workbook: Workbook) -> Workbook:
    """A workbook built cell by cell (with styles and drop-downs), made as safe as
    rows_to_xlsx makes its rows: every text cell a plain string, never a formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", cell.value)
                    cell.data_type = "s"
    return workbook


Sheet = tuple[Sequence[object], Iterable[Sequence[object]]]


def rows_to_xlsx(sheets: Mapping[str, Sheet]) -> bytes:
    """An XLSX workbook: for each sheet title, its header and rows, every cell made safe."""
    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append([xlsx_cell(sheet, value) for value in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def frames_to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with a sheet per data frame."""
    return rows_to_xlsx(
        {
            title: (list(frame.columns), frame.itertuples(index=False))
            for title, frame in sheets.items()
        }
    )

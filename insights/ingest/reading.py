"""Bytes to a table (CSV, TSV, XLSX) within bounded work: format, encoding, sheet and header row.

Every limit is checked before the work it bounds: the header line is measured before pandas
sees it, each workbook cell's column before a row is built, and the clock as rows are read.
"""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

import pandas as pd

from insights.ingest.encoding import decode_text
from insights.ingest.limits import Deadline, Limits, check_size
from insights.ingest.problems import ImportRejected, rejected

TABLE_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", "": None}
MAX_XLSX_UNZIPPED = 200 * 1024 * 1024  # refuses "zip bombs" that unpack far beyond 10 MB
HEADER_SCAN_ROWS = 30
SEPARATORS = {",": "comma (,)", ";": "semicolon (;)", "\t": "tab"}
# A second header row under the first, as SurveyMonkey writes it.
SUBHEADER_WORDS = {"response", "open-ended response", "other (please specify)", "comment"}


@dataclass(frozen=True)
class Table:
    """A read spreadsheet: its cells as text, and how it was read (sheet, header row, encoding)."""

    frame: pd.DataFrame
    file_format: str
    header_row: int = 1  # the spreadsheet row (or CSV line) that holds the headers
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headers(self) -> list[str]:
        """The column headers, as read."""
        return [str(column) for column in self.frame.columns]

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of the index-th data row, for messages."""
        return self.header_row + 1 + index

    def describe(self) -> str:
        """How the file was read, for errors that name the fix."""
        where = f"sheet {self.sheet!r}, " if self.sheet else ""
        columns = ", ".join(repr(h) for h in self.headers[:12])
        more = f" and {len(self.headers) - 12} more" if len(self.headers) > 12 else ""
        return f"Read {where}headers in row {self.header_row}: {columns}{more}."


def detect_table_format(data: bytes, filename: str = "") -> str:
    """ "csv" or "xlsx", from the content first and the file name second."""
    extension = PurePath(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if is_xlsx(data):
            return "xlsx"
        raise rejected("The file is a zip archive, not a CSV or XLSX spreadsheet.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise rejected(
            "The file is in the old Excel .xls format: save it as .xlsx or CSV UTF-8 and try again."
        )
    if extension == ".xlsx":
        raise rejected("The file is named .xlsx but is not an Excel workbook.")
    if extension not in TABLE_EXTENSIONS:
        raise rejected(f"A {extension} file is not CSV or XLSX: upload a .csv or .xlsx file.")
    if data.startswith(b"%PDF"):
        raise rejected("The file is not CSV or XLSX: it is a PDF.")
    return "csv"


def is_xlsx(data: bytes) -> bool:
    """Whether a zip archive is an Excel workbook of a sane unpacked size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        raise rejected("The file looks like an XLSX workbook but is damaged.") from None
    if unpacked > MAX_XLSX_UNZIPPED:
        raise rejected("The workbook unpacks to more than 200 MB; split it and import each part.")
    return "xl/workbook.xml" in names


def read_table(
    data: bytes,
    filename: str = "",
    limits: Limits | None = None,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Table:
    """Every cell of a CSV or XLSX file as text, with its sheet and header row chosen."""
    limits = limits or Limits()
    check_size(data, limits)
    deadline = Deadline(limits.max_seconds)
    if detect_table_format(data, filename) == "xlsx":
        return _read_xlsx(data, limits, deadline, sheet, header_row)
    if sheet:
        raise rejected(
            f"A CSV file has no sheets, so there is no sheet {sheet!r} to read: leave out the "
            "sheet (--sheet), which is for XLSX workbooks."
        )
    return _read_csv(data, limits, header_row)


# --- CSV -----------------------------------------------------------------------------------


def _read_csv(data: bytes, limits: Limits, header_row: int | None) -> Table:
    """A CSV or TSV file in any encoding the one rule reads, its separator and header found."""
    decoded = decode_text(data)
    text = decoded.text
    separator = _separator(text)
    _check_header_width(text, separator, limits)
    head = _first_rows(text, separator)
    start = _header_index(head, header_row)
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row is longer than the header and drops its extra cells
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,
                sep=separator,
                skiprows=start,
                nrows=limits.max_rows + 1,
                engine="c",
            )
    except (ValueError, csv.Error, IndexError, pd.errors.ParserWarning) as error:
        raise rejected(_csv_problem(error, separator, start)) from None
    notes = tuple(n for n in (decoded.note, _skipped_note(start)) if n)
    table = Table(frame, "csv", header_row=start + 1, encoding=decoded.encoding, notes=notes)
    return _finish(table, limits)


def _separator(text: str) -> str:
    """Comma, semicolon or tab: whichever the first lines use most (Excel varies by locale)."""
    sample = text[:65536]
    first = sample.split("\n", 1)[0]
    if first.count(",") + first.count(";") + first.count("\t") > 10_000:
        return max(SEPARATORS, key=first.count)
    return max(SEPARATORS, key=lambda s: sum(line.count(s) for line in sample.split("\n")[:5]))


def _check_header_width(text: str, separator: str, limits: Limits) -> None:
    """Refuse a file whose first line holds more columns than the limit, before parsing it."""
    end = text.find("\n", 0, limits.max_columns * 1000)
    line = text[: end if end >= 0 else limits.max_columns * 1000]
    columns = line.count(separator) + 1
    if columns > limits.max_columns or (end < 0 and len(text) > len(line)):
        raise rejected(
            f"The first line holds more than {limits.max_columns:,} columns "
            f"(separated by {SEPARATORS[separator]}); the limit is {limits.max_columns:,}. "
            "Is this a CSV of post-its or datasets?"
        )


def _first_rows(text: str, separator: str) -> list[list[str]]:
    """The first rows of a CSV, for choosing its header row."""
    reader = csv.reader(io.StringIO(text[:262144]), delimiter=separator)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return rows


def _csv_problem(error: Exception, separator: str, start: int) -> str:
    """A person's explanation of why pandas could not read a CSV file."""
    shown = SEPARATORS[separator]
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if ragged:
        expected, line, saw = ragged.groups()
        return (
            f"Line {int(line) + start} has {saw} cells but the header has {expected}: put quotes "
            f"around cells that contain a {shown}."
        )
    if isinstance(error, pd.errors.ParserWarning):
        return (
            f"Some rows have more cells than the header: put quotes around cells that contain "
            f"a {shown}, and give every column a header."
        )
    return f"The file could not be read as CSV: {first_line(error)}"


# --- XLSX ----------------------------------------------------------------------------------


def _read_xlsx(
    data: bytes, limits: Limits, deadline: Deadline, sheet: str | None, header_row: int | None
) -> Table:
    """One sheet of a workbook (the one named, else the one holding most cells), as text."""
    try:
        sheets = dict(_workbook_rows(data, limits, deadline))
    except ImportRejected:
        raise
    except Exception as error:  # openpyxl raises many types for damaged workbooks
        raise rejected(f"The workbook could not be read: {first_line(error)}") from None
    if not sheets:
        raise rejected("The workbook has no sheets.")
    name = sheet if sheet in sheets else _fullest(sheets)
    if sheet and sheet not in sheets:
        raise rejected(f"The workbook has no sheet {sheet!r}: its sheets are {', '.join(sheets)}.")
    rows = sheets[name]
    start = _header_index(rows[:HEADER_SCAN_ROWS], header_row)
    frame = _frame(rows[start:])
    notes = [_skipped_note(start)]
    if len(sheets) > 1:
        notes.append(f"Read sheet {name!r} of {len(sheets)} ({', '.join(sheets)}).")
    table = Table(
        frame, "xlsx", header_row=start + 1, sheet=name, sheets=tuple(sheets), notes=_kept(notes)
    )
    return _finish(table, limits)


def _workbook_rows(
    data: bytes, limits: Limits, deadline: Deadline
) -> Iterator[tuple[str, list[list[str]]]]:
    """Each sheet's rows as text, refusing a cell beyond the column limit as soon as it is met."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    try:
        for worksheet in workbook.worksheets:
            rows: list[list[str]] = []
            with worksheet._get_source() as source:
                parser = WorkSheetParser(
                    source,
                    workbook.shared_strings,
                    data_only=True,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                for _, row in parser.parse():
                    cells += len(row)
                    rows.append(_row_text(row, limits, worksheet.title))
                    if len(rows) % 500 == 0:
                        deadline.check()
                    if len(rows) > limits.max_rows + HEADER_SCAN_ROWS or cells > limits.max_cells:
                        raise _too_big(limits)
            yield worksheet.title, rows
    finally:
        workbook.close()


def _row_text(row: Sequence[dict[str, Any]], limits: Limits, sheet: str) -> list[str]:
    """One parsed row as a list of texts, placed by column; refuses too wide a row."""
    widest = max((cell["column"] for cell in row), default=0)
    if widest > limits.max_columns:
        raise rejected(
            f"Sheet {sheet!r} has a cell in column {_column_letters(widest)} ({widest:,}); the "
            f"limit is {limits.max_columns:,} columns. Delete the far columns and save again."
        )
    values = [""] * widest
    for cell in row:
        values[cell["column"] - 1] = cell_text(cell.get("value"))
    return values


def _column_letters(number: int) -> str:
    """A spreadsheet column's letters: 16384 is XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell's value as text: whole numbers without ".0", dates as ISO (never ambiguous)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _fullest(sheets: dict[str, list[list[str]]]) -> str:
    """The sheet holding the most non-blank cells: a cover or notes sheet holds few."""
    return max(sheets, key=lambda name: sum(1 for r in sheets[name] for c in r if c.strip()))


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    """A frame whose first row is the header; blank and repeated headers get names."""
    if not rows:
        return pd.DataFrame()
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    headers = _unique_headers(padded[0])
    return pd.DataFrame(padded[1:], columns=headers, dtype=str)


def _unique_headers(cells: list[str]) -> list[str]:
    """Headers as pandas names them: "Unnamed: 3" for a blank one, "Name.1" for a repeat."""
    seen: dict[str, int] = {}
    headers = []
    for index, cell in enumerate(cells):
        name = cell.strip() or f"Unnamed: {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        headers.append(name)
    return headers


# --- shared --------------------------------------------------------------------------------


def _header_index(rows: list[list[str]], chosen: int | None) -> int:
    """The 0-based index of the header row: the one chosen, else the first as wide as its data.

    A title line ("Workshop export, 3 May") or a logo row above the headers is narrower than
    the rows below it; the header row is the first row of at least two cells that is as wide
    as most of the rows that follow it.
    """
    if chosen is not None:
        if chosen < 1 or chosen > max(len(rows), 1):
            raise rejected(f"There is no row {chosen} among the first {len(rows)} rows to use.")
        return chosen - 1
    widths = [_width(row) for row in rows]
    for index, width in enumerate(widths):
        later = [w for w in widths[index + 1 : index + 11] if w]
        if width >= 2 and later and width >= _most_common(later):
            return index
    return 0


def _width(row: Sequence[str]) -> int:
    """How many cells a row spans, up to its last filled one."""
    filled = [i for i, cell in enumerate(row) if str(cell).strip()]
    return filled[-1] + 1 if filled else 0


def _most_common(values: list[int]) -> int:
    """The value that occurs most often (the larger on a tie)."""
    return max(set(values), key=lambda v: (values.count(v), v))


def _skipped_note(start: int) -> str:
    """What the person should know about rows above the header, if any were skipped."""
    if start == 0:
        return ""
    return f"The headers are in row {start + 1}; the {start} row(s) above them were skipped."


def _kept(notes: list[str]) -> tuple[str, ...]:
    """The notes that say something."""
    return tuple(note for note in notes if note)


def _finish(table: Table, limits: Limits) -> Table:
    """The table within its row and cell limits, headers trimmed, a sub-header row merged."""
    frame = table.frame
    if len(frame) > limits.max_rows:
        raise rejected(
            f"The file has more than {limits.max_rows:,} rows; split it and import each part."
        )
    if len(frame.columns) > limits.max_columns:
        raise rejected(f"The file has more than {limits.max_columns:,} columns.")
    if len(frame) * max(1, len(frame.columns)) > limits.max_cells:
        raise _too_big(limits)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame, merged = _merge_subheader(frame)
    if merged:
        notes = (*table.notes, "A second header row (Response, Open-Ended Response) was merged.")
        return Table(**{**table.__dict__, "frame": frame, "notes": notes})
    return Table(**{**table.__dict__, "frame": frame})


def _merge_subheader(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """SurveyMonkey's second header row folded into the first, so question columns keep names."""
    if frame.empty:
        return frame, False
    first = [str(value).strip() for value in frame.iloc[0].tolist()]
    words = {cell.lower() for cell in first if cell}
    if not words or not words <= SUBHEADER_WORDS:
        return frame, False
    names, last = [], ""
    for header, sub in zip(frame.columns, first, strict=True):
        if not header.startswith("Unnamed: "):
            last = header
            names.append(header)
        else:
            names.append(f"{last} ({sub})" if sub else header)
    merged = frame.iloc[1:].reset_index(drop=True)
    merged.columns = _unique_headers(names)
    return merged, True


def _too_big(limits: Limits) -> ImportRejected:
    """The refusal of a file holding more cells than the limit."""
    return rejected(
        f"The file holds more than {limits.max_cells:,} cells or {limits.max_rows:,} rows; "
        "split it and import each part."
    )


def first_line(error: BaseException) -> str:
    """The first line of an error message, for a person."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]

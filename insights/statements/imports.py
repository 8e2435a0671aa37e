"""Bulk in: post-its from CSV / XLSX files and pasted lines, checked row by row, all or nothing."""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.core.exports import FORMULA_STARTS
from insights.extensions import DbSession
from insights.organisations.models import Organisation
from insights.organisations.services import find_or_add_organisation
from insights.statements.models import NeedDetail, Statement
from insights.statements.services import (
    StatementError,
    StatementInput,
    borough_lookup,
    clean_text,
    resolve_borough,
    resolve_exercise,
    resolve_kind,
)
from insights.timeutil import utcnow
from insights.workshops.models import STATEMENT_KINDS, Workshop

T = TypeVar("T")

FIELDS = ("text", "kind", "exercise", "organisation", "borough", "author", "date")
FIELD_LABELS = {
    "text": "Post-it text",
    "kind": "Kind",
    "exercise": "Exercise (key or title)",
    "organisation": "Organisation",
    "borough": "Borough",
    "author": "Author",
    "date": "Date",
}
# Header words that name each field, in the order fields claim a loosely matching header.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "statement", "post-it", "postit", "post it", "note", "comment"),
    "exercise": ("exercise", "prompt", "question"),
    "organisation": ("organisation", "organization", "org"),
    "borough": ("borough", "area", "local authority"),
    "author": ("author", "name"),
    "kind": ("kind", "type"),
    "date": ("date", "created"),
}
FILE_KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", "": None}
MAX_ORGANISATION_LENGTH = 200
MAX_AUTHOR_LENGTH = 120
MAX_XLSX_UNZIPPED = 200 * 1024 * 1024  # refuses "zip bombs" that unpack far beyond 10 MB
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y", "%d %B %Y")
LONDON = ZoneInfo("Europe/London")
STATEMENTS = cast(sa.Table, Statement.__table__)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: where (spreadsheet row, column) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    unit: str = "row"  # pasted post-its are counted in lines

    def __str__(self) -> str:
        where = [f"{self.unit} {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRejected(StatementError):
    """A file or paste refused as a whole, with every problem found; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "The import was refused."
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))


@dataclass(frozen=True)
class Limits:
    """The largest file and the most rows one import may hold (MAX_CONTENT_LENGTH / ROWS)."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000


def limits_from_config(config: Mapping[str, Any]) -> Limits:
    """The limits set in the app's configuration, which the command line obeys too."""
    return Limits(
        max_bytes=int(config["MAX_CONTENT_LENGTH"]), max_rows=int(config["MAX_IMPORT_ROWS"])
    )


@dataclass
class RawRow:
    """One row as given: its number for messages, and its cells by field."""

    number: int
    values: dict[str, str]


@dataclass
class CheckedRow:
    """One row that passed every check, ready to store."""

    text: str
    kind: str
    exercise_id: int | None
    borough_code: str | None
    organisation: str
    author_name: str
    said_on: datetime | None


@dataclass
class ImportPlan:
    """What to check the rows against: the workshop, its boroughs and exercises, the defaults."""

    workshop: Workshop
    boroughs: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)  # field -> header, for messages
    unit: str = "row"
    default_kind: str | None = None
    default_exercise: str | None = None
    answers: dict[tuple[object, ...], tuple[bool, Any]] = field(default_factory=dict)

    def remember(self, key: tuple[object, ...], check: Callable[[], T]) -> T:
        """A check's answer (or refusal) for a value seen before: files repeat their values."""
        if key not in self.answers:
            try:
                self.answers[key] = (True, check())
            except StatementError as error:
                self.answers[key] = (False, error)
        passed, answer = self.answers[key]
        if not passed:
            raise answer
        return answer  # type: ignore[no-any-return]

    def exercise_key(self, value: str) -> str | None:
        """The key of the exercise named by key or title (any case); unknown values pass through."""
        wanted = " ".join(value.split()).lower()
        if not wanted:
            return None
        for exercise in self.workshop.exercises:
            if wanted in (exercise.key.lower(), " ".join(exercise.title.split()).lower()):
                return exercise.key
        return value.strip()


@dataclass
class ImportResult:
    """What an import stored: the new statements' ids (for tagging) and how many."""

    statement_ids: list[int]

    @property
    def count(self) -> int:
        """How many statements were added."""
        return len(self.statement_ids)


# --- reading files ---------------------------------------------------------------------


def read_table(data: bytes, filename: str = "", limits: Limits | None = None) -> pd.DataFrame:
    """Every cell of a CSV or XLSX file as text; refuses other, over-large and non-UTF-8 files."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise _rejected(f"The file is {_size(len(data))}; the limit is {_size(limits.max_bytes)}.")
    if not data.strip():
        raise _rejected("The file is empty.")
    if detect_format(data, filename) == "xlsx":
        frame = _read_xlsx(data, limits.max_rows)
    else:
        frame = _read_csv(data, limits.max_rows)
    if len(frame) > limits.max_rows:
        raise _rejected(
            f"The file has more than {limits.max_rows:,} rows; split it and import each part."
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _size(count: int) -> str:
    """A number of bytes as people say it: 10 MB, 300 KB."""
    if count >= 1024 * 1024:
        return f"{count / 1048576:.3g} MB"
    return f"{max(1, round(count / 1024))} KB"


def detect_format(data: bytes, filename: str = "") -> str:
    """ "csv" or "xlsx", from the content first and the file name second."""
    extension = PurePath(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if _is_xlsx(data):
            return "xlsx"
        raise _rejected("The file is a zip archive, not a CSV or XLSX spreadsheet.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _rejected(
            "The file is in the old Excel .xls format: save it as .xlsx or CSV UTF-8 and try again."
        )
    if extension == ".xlsx":
        raise _rejected("The file is named .xlsx but is not an Excel workbook.")
    if extension not in FILE_KINDS:
        raise _rejected(f"A {extension} file is not CSV or XLSX: upload a .csv or .xlsx file.")
    if b"\x00" in data[:8192] or data.startswith(b"%PDF"):
        raise _rejected("The file is not CSV or XLSX: it is not text.")
    return "csv"


def _is_xlsx(data: bytes) -> bool:
    """Whether a zip archive is an Excel workbook of a sane unpacked size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        raise _rejected("The file looks like an XLSX workbook but is damaged.") from None
    if unpacked > MAX_XLSX_UNZIPPED:
        raise _rejected("The workbook unpacks to more than 200 MB; split it and import each part.")
    return "xl/workbook.xml" in names


def _read_csv(data: bytes, max_rows: int) -> pd.DataFrame:
    """A UTF-8 CSV (with or without BOM), its separator sniffed from the header line."""
    text = _utf8_text(data)
    separator = _separator(text)
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row is longer than the header and drops its extra cells
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,
                sep=separator,
                nrows=max_rows + 1,
            )
    except (ValueError, csv.Error, IndexError, pd.errors.ParserWarning) as error:
        raise _rejected(_csv_problem(error, separator)) from None


def _utf8_text(data: bytes) -> str:
    """The file's text; refuses bytes that are not UTF-8, naming the line of the first."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _rejected(
            f"The file is not UTF-8 text: line {line:,} holds the byte {data[error.start]:#04x}. "
            "Save it as “CSV UTF-8” and try again."
        ) from None


def _csv_problem(error: Exception, separator: str) -> str:
    """A person's explanation of why pandas could not read a CSV file."""
    shown = {",": "comma (,)", ";": "semicolon (;)", "\t": "tab"}[separator]
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if ragged:
        expected, line, saw = ragged.groups()
        return (
            f"Line {line} has {saw} cells but the header has {expected}: put quotes around "
            f"cells that contain a {shown}."
        )
    if isinstance(error, pd.errors.ParserWarning):
        return (
            f"Some rows have more cells than the header: put quotes around cells that contain "
            f"a {shown}, and give every column a header."
        )
    return f"The file could not be read as CSV: {_first_line(error)}"


def _separator(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (Excel varies by locale)."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _read_xlsx(data: bytes, max_rows: int) -> pd.DataFrame:
    """The first sheet of an XLSX workbook, every cell as text."""
    try:
        frame = pd.read_excel(
            io.BytesIO(data),
            dtype=str,
            keep_default_na=False,
            nrows=max_rows + 1,
            engine="openpyxl",
        )
    except Exception as error:  # openpyxl raises many types for damaged workbooks
        raise _rejected(f"The workbook could not be read: {_first_line(error)}") from None
    return frame.fillna("")


def _first_line(error: Exception) -> str:
    """The first line of an error message, for a person."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _rejected(message: str) -> ImportRejected:
    """A whole-file refusal."""
    return ImportRejected([Problem(message)])


# --- mapping columns to fields -----------------------------------------------------------


def _words(header: str) -> str:
    """A header in lower case with single spaces, for matching."""
    return " " + " ".join(re.sub(r"[_./()\-:]+", " ", header.lower()).split()) + " "


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Column -> field, from header words: exact names first, then the first word a header holds."""
    mapping: dict[str, str] = {}
    for match in (_exact_field, _first_field):
        for header in headers:
            name = match(header) if header not in mapping else None
            if name and name not in mapping.values():
                mapping[header] = name
    return mapping


def _exact_field(header: str) -> str | None:
    """The field a header names exactly ("Post-it", "Organization"), if any."""
    spoken = _words(header)
    return next((n for n, ws in HEADER_WORDS.items() if spoken in map(_words, ws)), None)


def _first_field(header: str) -> str | None:
    """The field of the earliest field word in a header: "Organisation type" is an organisation."""
    spoken = _words(header)
    found = [
        (spoken.find(_words(word)), name)
        for name, words in HEADER_WORDS.items()
        for word in words
        if _words(word) in spoken
    ]
    return min(found)[1] if found else None


def apply_overrides(
    headers: Sequence[str], guessed: dict[str, str], overrides: dict[str, str]
) -> dict[str, str]:
    """The guessed mapping with explicit column=field choices on top ("" or "ignore" drops one)."""
    problems = [Problem(f"The file has no column {c!r}.") for c in overrides if c not in headers]
    problems += [
        Problem(f"{f!r} is not a field: use one of {', '.join(FIELDS)} or ignore.")
        for f in overrides.values()
        if f not in (*FIELDS, "", "ignore")
    ]
    if problems:
        raise ImportRejected(problems)
    chosen = {c: f for c, f in overrides.items() if f in FIELDS}
    mapping = {c: f for c, f in guessed.items() if c not in overrides and f not in chosen.values()}
    mapping.update(chosen)
    return mapping


def check_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """Field -> column; refuses a mapping without text or with a field given twice."""
    columns: dict[str, str] = {}
    problems = []
    for column, name in mapping.items():
        if name in columns:
            problems.append(Problem(f"Both {columns[name]!r} and {column!r} are mapped to {name}."))
        columns[name] = column
    if "text" not in columns:
        problems.append(
            Problem(
                "No column holds the post-it text: name one text, statement, post-it, note or "
                "comment, or choose it in the mapping."
            )
        )
    if problems:
        raise ImportRejected(problems)
    return columns


def raw_rows(frame: pd.DataFrame, columns: dict[str, str]) -> list[RawRow]:
    """The mapped cells of each non-blank row, numbered as a spreadsheet shows them."""
    names = list(columns)
    cells = [frame[columns[name]].astype(str).tolist() for name in names]
    rows = []
    for number, row in enumerate(zip(*cells, strict=True), start=2):
        if any(cell.strip() for cell in row):
            rows.append(
                RawRow(number=number, values=dict(zip(names, map(_cell, row), strict=True)))
            )
    return rows


def _cell(value: str) -> str:
    """A cell as stored: without NUL characters (PostgreSQL refuses them) or export apostrophe."""
    return _unneutralise(value.replace("\x00", ""))


def _unneutralise(value: str) -> str:
    """Drop the apostrophe our exports put before = + - @ tab CR: a round trip keeps the words."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- checking rows -----------------------------------------------------------------------


def check_rows(plan: ImportPlan, rows: Iterable[RawRow]) -> list[CheckedRow]:
    """Every row checked; raises ImportRejected listing every bad row, so nothing half-imports."""
    checked: list[CheckedRow] = []
    problems: list[Problem] = []
    for row in rows:
        result = check_row(plan, row, problems)
        if result is not None:
            checked.append(result)
    if problems:
        raise ImportRejected(problems)
    if not checked:
        raise ImportRejected([Problem("There are no post-its to import: every row is blank.")])
    return checked


@dataclass
class RowCheck:
    """The checks of one row, noting each refusal against its row and column."""

    plan: ImportPlan
    row: RawRow
    problems: list[Problem]

    def attempt(self, name: str, check: Callable[[], T], *key: object) -> T | None:
        """The check's answer (remembered by key when given), or None with the problem noted."""
        try:
            return self.plan.remember((name, *key), check) if key else check()
        except StatementError as error:
            column = self.plan.columns.get(name)
            self.problems.append(Problem(str(error), self.row.number, column, self.plan.unit))
            return None


def check_row(plan: ImportPlan, row: RawRow, problems: list[Problem]) -> CheckedRow | None:
    """One row checked field by field; its problems are added to `problems`."""
    found = len(problems)
    attempt = RowCheck(plan, row, problems).attempt
    value = row.values.get
    text = attempt("text", lambda: clean_text(value("text")))
    kind_given, key = _kind_value(value("kind")), plan.exercise_key(value("exercise") or "")
    if not kind_given and not key:  # the defaults apply only to rows that name neither
        kind_given, key = plan.default_kind, plan.default_exercise
    data = StatementInput(text=text or "", kind=kind_given, exercise_key=key)
    before = len(problems)
    exercise = attempt("exercise", lambda: resolve_exercise(plan.workshop, data), kind_given, key)
    kind = None
    if len(problems) == before or kind_given:  # an unknown exercise says nothing of the kind
        kind = attempt("kind", lambda: resolve_kind(data, exercise), kind_given, exercise)
    borough = attempt(
        "borough", lambda: resolve_borough(value("borough"), plan.boroughs), value("borough")
    )
    organisation = attempt(
        "organisation", lambda: _organisation_name(value("organisation")), value("organisation")
    )
    said_on = attempt("date", lambda: parse_date(value("date")), value("date"))
    if len(problems) > found or text is None or kind is None:
        return None
    return CheckedRow(
        text=text,
        kind=kind,
        exercise_id=exercise.id if exercise else None,
        borough_code=borough,
        organisation=organisation or "",
        author_name=" ".join((value("author") or "").split())[:MAX_AUTHOR_LENGTH],
        said_on=said_on,
    )


def _kind_value(value: str | None) -> str | None:
    """A kind as people write it ("Next step", "next_step") in the stored form ("next-step")."""
    cleaned = "-".join((value or "").replace("_", " ").split()).lower()
    return cleaned or None


def _organisation_name(value: str | None) -> str:
    """An organisation's name with single spaces; refuses names too long to store."""
    name = " ".join((value or "").split())
    if len(name) > MAX_ORGANISATION_LENGTH:
        raise StatementError(
            f"The organisation name is {len(name):,} characters long; "
            f"the limit is {MAX_ORGANISATION_LENGTH}."
        )
    return name


def parse_date(value: str | None) -> datetime | None:
    """A date or date-time (ISO, or UK day/month/year); times without a zone are London's."""
    text = (value or "").strip()
    if not text:
        return None
    parsed = _parse_date_text(text)
    if parsed is None:
        raise StatementError(f"{text!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC)


def _parse_date_text(text: str) -> datetime | None:
    """The first reading of the text that works, or None."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format)  # noqa: DTZ007 (zone added by the caller)
        except ValueError:
            continue
    return None


# --- storing -----------------------------------------------------------------------------


def store_rows(
    session: DbSession,
    workshop: Workshop,
    rows: Sequence[CheckedRow],
    user: User | None,
    source: str,
) -> ImportResult:
    """Insert checked rows in bulk (organisations once per name); the caller commits."""
    organisations = _organisations(session, rows)
    now = utcnow()
    user_id = user.id if user else None
    common = {
        "workshop_id": workshop.id,
        "anonymous": False,
        "source": source,
        "mentions": [],
        "created_by_id": user_id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    # A Core executemany: the ORM's bulk path costs a third more per row, and asking for
    # RETURNING in parameter order makes SQLite insert row by row.
    params = [_row_params(common, row, organisations) for row in rows]
    session.execute(sa.insert(STATEMENTS), params)
    stored = _stored_at(session, workshop, now)
    if len(stored) != len(rows):
        raise RuntimeError(f"Stored {len(stored)} statements of {len(rows)}; import abandoned.")
    needs = [{"statement_id": i, "updated_at": now, "version": 1} for i, k in stored if k == "need"]
    if needs:
        session.execute(sa.insert(NeedDetail), needs)
    record(
        session,
        f"statement.{source}",
        "import",
        workshop.id,
        user_id=user_id,
        workshop_id=workshop.id,
        count=len(rows),
    )
    return ImportResult(statement_ids=[statement_id for statement_id, _ in stored])


def _stored_at(session: DbSession, workshop: Workshop, moment: datetime) -> list[tuple[int, str]]:
    """Id and kind of the statements this import inserted, which share their creation time."""
    query = (
        sa.select(Statement.id, Statement.kind)
        .where(Statement.workshop_id == workshop.id, Statement.created_at == moment)
        .order_by(Statement.id)
    )
    return [(statement_id, kind) for statement_id, kind in session.execute(query)]


def _organisations(session: DbSession, rows: Sequence[CheckedRow]) -> dict[str, Organisation]:
    """Each distinct organisation named in the rows (any case), found or added, flushed."""
    found: dict[str, Organisation] = {}
    for row in rows:
        key = row.organisation.lower()
        if key and key not in found:
            organisation = find_or_add_organisation(session, row.organisation, row.borough_code)
            if organisation is not None:
                found[key] = organisation
    session.flush()
    return found


def _row_params(
    common: dict[str, Any], row: CheckedRow, organisations: dict[str, Organisation]
) -> dict[str, Any]:
    """The column values of one new statement, as add_statement would set them."""
    organisation = organisations.get(row.organisation.lower()) if row.organisation else None
    return {
        **common,
        "exercise_id": row.exercise_id,
        "kind": row.kind,
        "original_text": row.text,
        "text": row.text,
        "author_name": row.author_name,
        "organisation_id": organisation.id if organisation else None,
        "borough_code": row.borough_code or (organisation.borough_code if organisation else None),
        "said_on": row.said_on,
    }


# --- the two ways in ---------------------------------------------------------------------


def plan_for(
    session: DbSession,
    workshop: Workshop,
    *,
    kind: str | None = None,
    exercise: str | None = None,
) -> ImportPlan:
    """The checks for rows going into this workshop, with an optional default kind / exercise."""
    return ImportPlan(
        workshop=workshop,
        boroughs=borough_lookup(session),
        default_kind=_kind_value(kind),
        default_exercise=exercise or None,
    )


def import_table(
    session: DbSession,
    plan: ImportPlan,
    frame: pd.DataFrame,
    mapping: dict[str, str],
    user: User | None = None,
) -> ImportResult:
    """Check every row of a read file under a column -> field mapping, then store them all."""
    plan.columns = check_mapping(mapping)
    rows = check_rows(plan, raw_rows(frame, plan.columns))
    return store_rows(session, plan.workshop, rows, user, "import")


def import_file(
    session: DbSession,
    plan: ImportPlan,
    data: bytes,
    filename: str = "",
    *,
    overrides: dict[str, str] | None = None,
    limits: Limits | None = None,
    user: User | None = None,
) -> ImportResult:
    """Read, map, check and store a CSV / XLSX file: every row or none."""
    frame = read_table(data, filename, limits)
    headers = list(frame.columns)
    mapping = apply_overrides(headers, guess_mapping(headers), overrides or {})
    return import_table(session, plan, frame, mapping, user)


def paste_rows(text: str, max_rows: int = Limits.max_rows) -> list[RawRow]:
    """One post-it per non-blank line; a leading "kind:" (e.g. "challenge: …") sets its kind."""
    rows = []
    for number, line in enumerate(text.replace("\x00", "").splitlines(), start=1):
        if not line.strip():
            continue
        kind, rest = split_kind_prefix(line)
        rows.append(RawRow(number=number, values={"text": rest, "kind": kind or ""}))
    if len(rows) > max_rows:
        raise _rejected(f"That is more than {max_rows:,} post-its; paste them in parts.")
    return rows


def split_kind_prefix(line: str) -> tuple[str | None, str]:
    """("challenge", "no time") from "Challenge: no time"; lines without a known kind stay whole."""
    head, colon, rest = line.partition(":")
    kind = _kind_value(head)
    if colon and kind in STATEMENT_KINDS:
        return kind, rest
    return None, line


def paste_statements(
    session: DbSession, plan: ImportPlan, text: str, user: User | None = None
) -> ImportResult:
    """Check and store pasted post-its, one per line: every line or none."""
    rows = paste_rows(text)
    if not rows:
        raise _rejected("There are no post-its to add: type or paste one per line.")
    plan.columns, plan.unit = {}, "line"  # pasted post-its are reported by line, not column
    return store_rows(session, plan.workshop, check_rows(plan, rows), user, "paste")


def find_problems(plan: ImportPlan, frame: pd.DataFrame, mapping: dict[str, str]) -> list[Problem]:
    """Every problem an import of this table would meet, found without writing anything."""
    try:
        plan.columns = check_mapping(mapping)
        check_rows(plan, raw_rows(frame, plan.columns))
    except ImportRejected as rejected:
        return rejected.problems
    return []


def count_rows(frame: pd.DataFrame) -> int:
    """How many rows of a read file hold anything (blank rows are skipped on import)."""
    if frame.empty:
        return 0
    return int((frame.astype(str).apply(lambda column: column.str.strip()) != "").any(axis=1).sum())

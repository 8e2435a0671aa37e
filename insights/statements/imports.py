"""Bulk in: post-its from CSV / XLSX files and pasted lines through the ingestion layer.

read (insights.ingest) → map (import_mapping) → check (here, every row; blank answers and rows
already in the workshop are skipped and counted) → store (one bulk insert that returns ids).
A plan is a value: the workshop's exercises and boroughs, the mapping and the choices made.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.core.exports import FORMULA_STARTS
from insights.extensions import DbSession
from insights.ingest.boards import read_postit_file
from insights.ingest.limits import Limits, limits_from_config
from insights.ingest.problems import ImportRejected, Problem, rejected
from insights.ingest.reading import Table, read_table
from insights.ingest.report import ImportReport
from insights.ingest.storing import insert_returning
from insights.organisations.models import Organisation
from insights.organisations.services import find_or_add_organisation
from insights.security import CONTROL_CHARACTERS
from insights.statements.import_dates import DateProblem, DateQuestion, parse_date, settle_order
from insights.statements.import_mapping import (
    FIELD_LABELS,
    FIELDS,
    apply_overrides,
    describe_mapping,
    field_columns,
    guess,
    guess_mapping,
)
from insights.statements.models import NeedDetail, Statement
from insights.statements.services import StatementError, borough_lookup, resolve_borough
from insights.timeutil import utcnow
from insights.workshops.models import STATEMENT_KINDS, Workshop

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "ImportRejected",
    "Limits",
    "Problem",
    "guess_mapping",
    "limits_from_config",
    "read_table",
]

MAX_IMPORTED_TEXT_LENGTH = 20_000  # long survey answers are kept whole up to this
MAX_ORGANISATION_LENGTH = 200
MAX_AUTHOR_LENGTH = 120
MAX_NOTE_LENGTH = 5_000
MAX_GROUP_LENGTH = 120
SHOWN_ROWS_PER_PROBLEM = 5
NO_KIND = (
    f"The row names no kind or exercise: choose a kind for such rows ({', '.join(STATEMENT_KINDS)})"
    ", or map a column to kind or exercise (on the command line: --kind need, or --map "
    "COLUMN=kind)."
)
STATEMENTS = cast(sa.Table, Statement.__table__)


@dataclass(frozen=True)
class ExerciseRef:
    """An exercise of the workshop, as the checks need it."""

    id: int
    key: str
    title: str
    kind: str


@dataclass(frozen=True)
class PostitPlan:
    """What rows are checked against and how: a value, never changed once made."""

    workshop_id: int
    exercises: tuple[ExerciseRef, ...]
    boroughs: Mapping[str, str]
    mapping: Mapping[str, str] = field(default_factory=dict)  # column -> field
    default_kind: str | None = None
    default_exercise: str | None = None
    date_order: str | None = None  # "dmy", "mdy", or None: not chosen
    unit: str = "row"

    def exercise_key(self, value: str) -> str | None:
        """The key of the exercise named by key or title (any case); unknown values pass through."""
        wanted = " ".join(value.split()).lower()
        if not wanted:
            return None
        found = self.find_exercise(wanted)
        return found.key if found else value.strip()

    def find_exercise(self, wanted: str) -> ExerciseRef | None:
        """The exercise whose key or title is these words, if any."""
        for exercise in self.exercises:
            if wanted in (exercise.key.lower(), " ".join(exercise.title.split()).lower()):
                return exercise
        return None


@dataclass(frozen=True)
class CheckedRow:
    """One row that passed every check, ready to store."""

    text: str
    kind: str
    exercise_id: int | None
    borough_code: str | None
    organisation: str
    author_name: str
    said_on: datetime | None
    votes: int = 0
    group: str = ""
    colour: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int | None, str]:
        """What makes a post-it the same one: its text, exercise and author."""
        return (self.text, self.exercise_id, self.author_name)


@dataclass(frozen=True)
class Checked:
    """Every row of an import checked: what would be stored, skipped, refused and asked."""

    rows: tuple[CheckedRow, ...]
    problems: tuple[Problem, ...] = ()
    questions: tuple[DateQuestion, ...] = ()
    skipped_blank: int = 0
    skipped_duplicates: int = 0
    notes: tuple[str, ...] = ()


# --- plans -------------------------------------------------------------------------------


def plan_for(
    session: DbSession,
    workshop: Workshop,
    *,
    kind: str | None = None,
    exercise: str | None = None,
    date_order: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> PostitPlan:
    """The checks for rows going into this workshop, with an optional default kind / exercise."""
    return PostitPlan(
        workshop_id=workshop.id,
        exercises=tuple(ExerciseRef(e.id, e.key, e.title, e.kind) for e in workshop.exercises),
        boroughs=borough_lookup(session),
        mapping=dict(mapping or {}),
        default_kind=_kind_value(kind),
        default_exercise=exercise or None,
        date_order=date_order or None,
    )


def mapped_plan(plan: PostitPlan, table: Table, overrides: Mapping[str, str]) -> PostitPlan:
    """The plan with the file's guessed mapping and the person's choices on top."""
    headers = table.headers
    guessed = guess_mapping(headers, table.frame)
    try:
        mapping = apply_overrides(headers, guessed, overrides)
    except ImportRejected as refused:
        raise ImportRejected([*refused.problems, Problem(_other_reading(table))]) from None
    return replace(plan, mapping=mapping)


def _other_reading(table: Table) -> str:
    """How the file was read, and how to read it otherwise, for a mapping that fits no column."""
    if table.file_format == "xlsx":
        return (
            table.describe() + " To read another sheet or header row: --sheet NAME, --header-row N."
        )
    if table.file_format == "csv":
        return table.describe() + " To read another header row: --header-row N."
    return table.describe()


# --- checking -----------------------------------------------------------------------------


def check_table(session: DbSession, plan: PostitPlan, table: Table) -> Checked:
    """Every row of a read file checked under the plan's mapping, duplicates counted."""
    columns = _mapped_columns(plan, table)
    frame = table.frame
    order, question = settle_order(_column(frame, columns.get("date")), plan.date_order)
    # While the dates are a question, they are not read at all: the answer decides them.
    checker = RowChecker(plan, columns, None if question else order)
    for index, cells in enumerate(_cells(frame, columns)):
        checker.check(table.row_number(index), cells)
    rows, duplicates = _without_existing(session, plan.workshop_id, checker.rows)
    return Checked(
        rows=tuple(rows),
        problems=tuple(_with_columns_named(checker.summarised_problems(), table, plan.unit)),
        questions=(question,) if question else (),
        skipped_blank=checker.blank,
        skipped_duplicates=duplicates,
        notes=tuple(describe_mapping(plan.mapping)),
    )


def _with_columns_named(problems: list[Problem], table: Table, unit: str) -> list[Problem]:
    """The problems, and when a mapping would fix them, the file's columns as they were read."""
    if unit == "row" and any(NO_KIND in problem.message for problem in problems):
        return [*problems, Problem(table.describe())]
    return problems


def _mapped_columns(plan: PostitPlan, table: Table) -> dict[str, Any]:
    """Field → column of the plan's mapping; refuses a mapping without a text column."""
    columns = field_columns(plan.mapping)
    if "text" not in columns:
        raise ImportRejected([Problem(no_text_column_message(table))])
    return columns


def no_text_column_message(table: Table) -> str:
    """Why a file without a text column was refused, naming every way to fix it."""
    return (
        "No column holds the post-it text. "
        + table.describe()
        + " Choose the text column in the mapping (on the command line: --map COLUMN=text), "
        "or choose another sheet or header row (--sheet NAME, --header-row N)."
    )


def _column(frame: pd.DataFrame, column: str | None) -> list[str]:
    """A column's values as text (none when the column is not mapped)."""
    return [str(v) for v in frame[column].tolist()] if column else []


def _cells(frame: pd.DataFrame, columns: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Each row's mapped cells by field (notes as a header → value dict)."""
    singles = {name: col for name, col in columns.items() if name != "note"}
    notes = list(columns["note"])
    single_values = {name: frame[col].astype(str).tolist() for name, col in singles.items()}
    note_values = {col: frame[col].astype(str).tolist() for col in notes}
    for index in range(len(frame)):
        cells: dict[str, Any] = {
            name: _cell(values[index]) for name, values in single_values.items()
        }
        cells["note"] = {col: _cell(values[index]) for col, values in note_values.items()}
        yield cells


def _cell(value: str) -> str:
    """A cell as stored: without NUL characters (PostgreSQL refuses them) or export apostrophe."""
    value = value.replace("\x00", "")
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class RowChecker:
    """Checks rows one by one, remembering each value's answer (files repeat their values)."""

    def __init__(
        self, plan: PostitPlan, columns: Mapping[str, Any], date_order: str | None
    ) -> None:
        self.plan, self.columns, self.date_order = plan, columns, date_order
        self.rows: list[CheckedRow] = []
        self.problems: dict[tuple[str, str | None], list[int]] = {}
        self.blank = 0
        self.noted = 0  # how many problems were noted, across every row
        self.answers: dict[tuple[object, ...], tuple[bool, Any]] = {}
        self.named: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}

    def check(self, number: int, cells: Mapping[str, Any]) -> None:
        """Check one row; a good row is kept, a bad one noted, a blank answer counted."""
        text = _joined_text(cells.get("title", ""), cells.get("text", ""))
        if not text:
            if _any_content(cells):
                self.blank += 1
            return
        row = self._checked(number, text, cells)
        if row is not None:
            self.rows.append(row)

    def _checked(self, number: int, text: str, cells: Mapping[str, Any]) -> CheckedRow | None:
        """The row's fields checked; None when any was refused (the problems are noted)."""
        before = self.noted
        attempt = lambda name, check, *key: self.attempt(number, name, check, *key)  # noqa: E731
        text = attempt("text", lambda: _long_text(text))
        exercise, kind = self._exercise_and_kind(number, cells)
        borough = attempt(
            "borough",
            lambda: resolve_borough(cells.get("borough"), dict(self.plan.boroughs)),
            cells.get("borough"),
        )
        organisation = attempt(
            "organisation",
            lambda: _organisation_name(cells.get("organisation")),
            cells.get("organisation"),
        )
        said_on = attempt(
            "date", lambda: _date(cells.get("date"), self.date_order), cells.get("date")
        )
        if self.noted > before or not text or not kind:
            return None
        return CheckedRow(
            text=text,
            kind=kind,
            exercise_id=exercise.id if exercise else None,
            borough_code=borough,
            organisation=organisation or "",
            author_name=" ".join((cells.get("author") or "").split())[:MAX_AUTHOR_LENGTH],
            said_on=said_on,
            votes=_votes(cells.get("votes")),
            group=self._group(cells, exercise),
            colour=" ".join((cells.get("colour") or "").split())[:40],
            notes=_notes(cells.get("note") or {}),
        )

    def _exercise_and_kind(
        self, number: int, cells: Mapping[str, Any]
    ) -> tuple[ExerciseRef | None, str | None]:
        """The row's exercise (by column, by group, or the default) and its kind."""
        plan = self.plan
        named = (cells.get("kind"), cells.get("exercise"), cells.get("group"))
        if named not in self.named:
            self.named[named] = _named_exercise(plan, *named)
        kind_given, key = self.named[named]
        found = self.noted
        exercise = self.attempt(
            number, "exercise", lambda: _exercise(plan, key, kind_given), kind_given, key
        )
        if self.noted > found and not kind_given:
            return None, None  # an unknown exercise says nothing of the kind
        kind = self.attempt(
            number, "kind", lambda: _kind(kind_given, exercise), kind_given, exercise
        )
        return exercise, kind

    def _group(self, cells: Mapping[str, Any], exercise: ExerciseRef | None) -> str:
        """The board column or group, unless it named the row's exercise."""
        group = " ".join((cells.get("group") or "").split())[:MAX_GROUP_LENGTH]
        if exercise and group.lower() in (exercise.key.lower(), exercise.title.lower()):
            return ""
        return group

    def attempt(self, number: int, name: str, check: Any, *key: object) -> Any:
        """The check's answer (remembered by key when given), or None with the problem noted."""
        memo = (name, *key)
        try:
            if key:
                if memo not in self.answers:
                    try:
                        self.answers[memo] = (True, check())
                    except (StatementError, DateProblem) as error:
                        self.answers[memo] = (False, error)
                passed, answer = self.answers[memo]
                if not passed:
                    raise answer
                return answer
            return check()
        except (StatementError, DateProblem) as error:
            column = self.columns.get(name) if self.plan.unit == "row" else None
            self.problems.setdefault((str(error), column), []).append(number)
            self.noted += 1
            return None

    def summarised_problems(self) -> list[Problem]:
        """One problem per distinct message, naming its first rows and how many more."""
        unit = self.plan.unit
        summary = []
        for (message, column), numbers in self.problems.items():
            if len(numbers) == 1:
                summary.append(Problem(message, numbers[0], column, unit))
                continue
            shown = ", ".join(map(str, numbers[:SHOWN_ROWS_PER_PROBLEM]))
            more = len(numbers) - SHOWN_ROWS_PER_PROBLEM
            where = f"{unit}s {shown}" + (f" and {more:,} more" if more > 0 else "")
            place = f", column {column!r}" if column else ""
            summary.append(Problem(f"{where}{place}: {message}"))
        return summary


def _named_exercise(
    plan: PostitPlan, kind: str | None, exercise: str | None, group: str | None
) -> tuple[str | None, str | None]:
    """The kind and exercise key a row names (its group may name the exercise), or the plan's
    defaults for rows that name neither."""
    kind_given = _kind_value(kind)
    key = plan.exercise_key(exercise or "")
    if not key and plan.find_exercise(" ".join((group or "").split()).lower()):
        key = plan.exercise_key(group or "")
    if not kind_given and not key:
        return plan.default_kind, plan.default_exercise
    return kind_given, key


def _joined_text(title: str, text: str) -> str:
    """A title and a text as one post-it ("Title: text"), or whichever there is."""
    title, text = (
        CONTROL_CHARACTERS.sub("", title or "").strip(),
        CONTROL_CHARACTERS.sub("", text or "").strip(),
    )
    if title and text and title != text:
        return f"{title}: {text}"
    return text or title


def _any_content(cells: Mapping[str, Any]) -> bool:
    """Whether a row holds anything at all (a wholly blank row is not a blank answer)."""
    singles = any(str(v).strip() for k, v in cells.items() if k != "note")
    return singles or any(str(v).strip() for v in (cells.get("note") or {}).values())


def _long_text(text: str) -> str:
    """An answer kept whole, refused only beyond the generous import limit."""
    if len(text) > MAX_IMPORTED_TEXT_LENGTH:
        raise StatementError(
            f"The answer is {len(text):,} characters long; the limit for imported post-its is "
            f"{MAX_IMPORTED_TEXT_LENGTH:,}."
        )
    return text


def _exercise(plan: PostitPlan, key: str | None, kind: str | None) -> ExerciseRef | None:
    """The exercise by key, or the first of the kind; refuses an exercise the workshop lacks."""
    if key:
        found = next((e for e in plan.exercises if e.key == key), None)
        if found is None:
            keys = ", ".join(e.key for e in plan.exercises) or "none"
            raise StatementError(f"This workshop has no exercise {key!r} (its exercises: {keys}).")
        return found
    return next((e for e in plan.exercises if e.kind == kind), None)


def _kind(kind: str | None, exercise: ExerciseRef | None) -> str:
    """The kind as given, else the exercise's; says how to give one when there is none."""
    chosen = kind or (exercise.kind if exercise else "")
    if not chosen:
        raise StatementError(NO_KIND)
    if chosen not in STATEMENT_KINDS:
        raise StatementError(
            f"Unknown kind {chosen!r}: choose one of {', '.join(STATEMENT_KINDS)}."
        )
    return chosen


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


def _date(value: str | None, order: str | None) -> datetime | None:
    """A date read in the file's order (none while the order is still a question)."""
    return parse_date(value, order) if order else None


def _votes(value: str | None) -> int:
    """Votes as a count of +1s: "3", "+3", "3 votes"; anything else is none."""
    match = re.search(r"\d{1,6}", value or "")
    return int(match.group()) if match else 0


def _notes(values: Mapping[str, str]) -> dict[str, str]:
    """The note columns that hold something, each kept up to the note limit."""
    return {
        column: text[:MAX_NOTE_LENGTH]
        for column, value in values.items()
        if (text := CONTROL_CHARACTERS.sub("", value).strip())
    }


def _without_existing(
    session: DbSession, workshop_id: int, rows: Sequence[CheckedRow]
) -> tuple[list[CheckedRow], int]:
    """The rows not already in the workshop, and how many were (a repeat counts once each)."""
    if not rows:
        return [], 0
    query = sa.select(Statement.original_text, Statement.exercise_id, Statement.author_name).where(
        Statement.workshop_id == workshop_id, Statement.deleted_at.is_(None)
    )
    existing = Counter(
        (text, exercise, author or "") for text, exercise, author in session.execute(query)
    )
    kept, skipped = [], 0
    for row in rows:
        if existing[row.key] > 0:
            existing[row.key] -= 1
            skipped += 1
        else:
            kept.append(row)
    return kept, skipped


# --- storing -----------------------------------------------------------------------------


def store_rows(
    session: DbSession,
    plan: PostitPlan,
    checked: Checked,
    user: User | None,
    source: str,
) -> ImportReport:
    """Insert the checked rows in bulk (organisations once per name); the caller commits."""
    user_id = user.id if user else None
    stored = insert_rows(session, plan, checked.rows, user_id, source)
    report = ImportReport(
        added=len(stored),
        skipped_duplicates=checked.skipped_duplicates,
        skipped_blank=checked.skipped_blank,
        ids=tuple(sorted(stored)),
        notes=checked.notes,
    )
    audit_import(session, plan, report, user_id, source)
    return report


def insert_rows(
    session: DbSession,
    plan: PostitPlan,
    rows: Sequence[CheckedRow],
    user_id: int | None,
    source: str,
) -> list[int]:
    """Insert checked rows (and the details of needs) in bulk; the new statements' ids.

    A background import calls this once per chunk, committing each with its checkpoint."""
    organisations = _organisations(session, rows)
    now = utcnow()
    common = {
        "workshop_id": plan.workshop_id,
        "anonymous": False,
        "source": source,
        "mentions": [],
        "created_by_id": user_id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    params = [_row_params(common, row, organisations) for row in rows]
    stored = insert_returning(session, STATEMENTS, params, "id", "kind")
    needs = [{"statement_id": i, "updated_at": now, "version": 1} for i, k in stored if k == "need"]
    if needs:
        session.execute(sa.insert(NeedDetail), needs)
    return [statement_id for statement_id, _ in stored]


def audit_import(
    session: DbSession, plan: PostitPlan, report: ImportReport, user_id: int | None, source: str
) -> None:
    """The one audit entry of an import, however many chunks it was stored in."""
    record(
        session,
        f"statement.{source}",
        "import",
        plan.workshop_id,
        user_id=user_id,
        workshop_id=plan.workshop_id,
        count=report.added,
        skipped_duplicates=report.skipped_duplicates,
        skipped_blank=report.skipped_blank,
    )


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
        "votes": row.votes,
        "board_group": row.group,
        "colour": row.colour,
        "notes": dict(row.notes),
    }


# --- the ways in -------------------------------------------------------------------------


def refuse_if_unfit(checked: Checked) -> None:
    """Refuse an import with problems or unanswered questions; nothing is written."""
    problems = list(checked.problems) + [Problem(q.message) for q in checked.questions]
    if problems:
        raise ImportRejected(problems)
    if not checked.rows and not checked.skipped_duplicates:
        raise rejected("There are no post-its to import: every row is blank.")


def import_table(
    session: DbSession, plan: PostitPlan, table: Table, user: User | None = None
) -> ImportReport:
    """Check every row of a read file under the plan, then store them all (or none)."""
    checked = check_table(session, plan, table)
    refuse_if_unfit(checked)
    report = store_rows(session, plan, checked, user, "import")
    return replace(report, notes=(*table.notes, *report.notes))


def import_file(
    session: DbSession,
    plan: PostitPlan,
    data: bytes,
    filename: str = "",
    *,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    user: User | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> ImportReport:
    """Read, map, check and store a CSV, XLSX or Trello board file: every row or none."""
    table = read_postit_file(data, filename, limits, sheet=sheet, header_row=header_row)
    return import_table(session, mapped_plan(plan, table, overrides or {}), table, user)


def describe_guess(table: Table) -> list[str]:
    """What the guess found: the tool recognised and why the text column was chosen."""
    guessed = guess(table.headers, table.frame)
    said = [f"Recognised a {guessed.tool} export."] if guessed.tool else []
    return said + list(guessed.reasons)


def paste_rows(text: str, max_rows: int = Limits.max_rows) -> pd.DataFrame:
    """One post-it per non-blank line, as a table; a leading "kind:" sets its kind."""
    lines = text.replace("\x00", "").splitlines()
    rows = []
    for line in lines:
        kind, rest = split_kind_prefix(line)
        rows.append({"text": rest, "kind": kind or ""})
    if sum(1 for line in lines if line.strip()) > max_rows:
        raise rejected(f"That is more than {max_rows:,} post-its; paste them in parts.")
    return pd.DataFrame(rows, columns=["text", "kind"], dtype=str)


def split_kind_prefix(line: str) -> tuple[str | None, str]:
    """("challenge", "no time") from "Challenge: no time"; lines without a known kind stay whole."""
    head, colon, rest = line.partition(":")
    kind = _kind_value(head)
    if colon and kind in STATEMENT_KINDS:
        return kind, rest
    return None, line


def paste_statements(
    session: DbSession, plan: PostitPlan, text: str, user: User | None = None
) -> ImportReport:
    """Check and store pasted post-its, one per line: every line or none."""
    frame = paste_rows(text)
    if not any(line.strip() for line in frame["text"].tolist()):
        raise rejected("There are no post-its to add: type or paste one per line.")
    table = Table(frame, "paste", header_row=0)
    lined = replace(plan, mapping={"text": "text", "kind": "kind"}, unit="line")
    checked = check_table(session, lined, table)
    refuse_if_unfit(checked)
    return store_rows(session, lined, checked, user, "paste")


def count_rows(frame: pd.DataFrame) -> int:
    """How many rows of a read file hold anything (blank rows are skipped on import)."""
    if frame.empty:
        return 0
    return int((frame.astype(str).apply(lambda column: column.str.strip()) != "").any(axis=1).sum())

"""Dates in imported files: day first (UK) by default, a choice in the mapping, and a question
when a file's dates could be read either way. Never a silent guess."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

DATE_ORDERS = {
    "dmy": "day first (UK: 4/5/2024 is 4 May)",
    "mdy": "month first (US: 4/5/2024 is 5 April)",
}
NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b(.*)$")
LONDON = ZoneInfo("Europe/London")


class DateProblem(ValueError):
    """A value that is not a date in the order chosen."""


@dataclass(frozen=True)
class DateQuestion:
    """What to ask the person about a file's dates, with the order the file itself suggests."""

    message: str
    suggested: str


def settle_order(values: Iterable[str], chosen: str | None) -> tuple[str, DateQuestion | None]:
    """The date order to read a file with, and the question to ask when it cannot be told.

    A file proves day first when some date's first number is over 12 (25/12/2024), and month
    first when its second is (12/25/2024). A file that proves neither, or proves month first,
    is asked about unless the person has chosen.
    """
    if chosen in DATE_ORDERS:
        return chosen, None
    proofs, ambiguous = set(), ""
    for value in values:
        match = NUMERIC.match(value)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            proofs.add("dmy")
        elif second > 12:
            proofs.add("mdy")
        elif first != second and not ambiguous:
            ambiguous = value.strip()
    if proofs == {"dmy"}:
        return "dmy", None
    if proofs == {"mdy"}:
        return "dmy", DateQuestion(
            "The dates in this file are written month first (US), such as "
            f"{_example(values, 'mdy')}: choose “month first” for the dates "
            "(on the command line: --dates mdy).",
            "mdy",
        )
    if proofs:
        return "dmy", DateQuestion(
            "The dates in this file are written both day first and month first: choose how to "
            "read them (on the command line: --dates dmy or --dates mdy).",
            "dmy",
        )
    if ambiguous:
        return "dmy", DateQuestion(
            f"A date such as {ambiguous!r} could be read day first or month first: choose how "
            "to read the dates (on the command line: --dates dmy or --dates mdy).",
            "dmy",
        )
    return "dmy", None


def _example(values: Iterable[str], order: str) -> str:
    """A value that proves the order, to show the person."""
    for value in values:
        match = NUMERIC.match(value)
        if match and order == "mdy" and int(match.group(2)) > 12:
            return repr(value.strip())
    return "this"


def parse_date(value: str | None, order: str = "dmy") -> datetime | None:
    """A date or date-time in the order given; times without a zone are London's."""
    text = (value or "").strip()
    if not text:
        return None
    parsed = _numeric(text, order) or _iso(text) or _words(text, order)
    if parsed is None:
        raise DateProblem(f"{text!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC)


def _numeric(text: str, order: str) -> datetime | None:
    """4/5/2024 (and 4.5.24, with a time) read in the order given."""
    match = NUMERIC.match(text)
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    day, month = (first, second) if order == "dmy" else (second, first)
    year += 2000 if year < 100 else 0
    try:
        moment = datetime(year, month, day)  # noqa: DTZ001 (zone added by the caller)
    except ValueError:
        shown = "day/month/year" if order == "dmy" else "month/day/year"
        raise DateProblem(f"{text!r} is not a date read {shown}.") from None
    rest = match.group(4).strip().lstrip("T")
    if rest:
        clock = _words(f"2000-01-01 {rest}", order)
        if clock is None:
            raise DateProblem(f"{text!r} has a time that is not a time.")
        moment = moment.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
        if clock.tzinfo is not None:
            moment = moment.replace(tzinfo=clock.tzinfo)
    return moment


def _iso(text: str) -> datetime | None:
    """An ISO 8601 date or date-time."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _words(text: str, order: str) -> datetime | None:
    """Dates with month names or year first ("3 May 2024", "2024/05/03 10:00 AM")."""
    try:
        return date_parser.parse(text, dayfirst=order == "dmy", fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None

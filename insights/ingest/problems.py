"""What is wrong with an import, where, and the refusal that carries every problem."""

from collections.abc import Sequence
from dataclasses import dataclass


class IngestError(ValueError):
    """A file, paste or harvest that cannot be taken in, with a message for the person."""


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


class ImportRejected(IngestError):
    """An import refused as a whole, with every problem found; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "The import was refused."
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))


def rejected(message: str) -> ImportRejected:
    """A whole-file refusal with one message."""
    return ImportRejected([Problem(message)])

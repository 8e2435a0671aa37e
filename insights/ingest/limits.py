"""Bounds on the work one upload may cost: bytes, rows, columns, cells and seconds."""

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from insights.ingest.problems import rejected


@dataclass(frozen=True)
class Limits:
    """The largest file, and the most rows, columns, cells and parse seconds one import may use."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000
    max_columns: int = 500
    max_cells: int = 2_000_000
    max_seconds: float = 4.0
    max_depth: int = 64  # JSON nesting; real catalogues need fewer than ten


def limits_from_config(config: Mapping[str, Any]) -> Limits:
    """The limits set in the app's configuration, which the command line obeys too."""
    defaults = Limits()
    return Limits(
        max_bytes=int(config.get("MAX_CONTENT_LENGTH", defaults.max_bytes)),
        max_rows=int(config.get("MAX_IMPORT_ROWS", defaults.max_rows)),
        max_columns=int(config.get("MAX_IMPORT_COLUMNS", defaults.max_columns)),
        max_cells=int(config.get("MAX_IMPORT_CELLS", defaults.max_cells)),
        max_seconds=float(config.get("MAX_IMPORT_SECONDS", defaults.max_seconds)),
    )


@dataclass
class Deadline:
    """The moment a parse must give up by; loops call check() as they go."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        """Refuse the file if reading it has taken longer than allowed."""
        if time.monotonic() - self.started > self.seconds:
            raise rejected(
                f"Reading the file took longer than {self.seconds:g} seconds: "
                "split it into smaller files and import each part."
            )


def size_text(count: int) -> str:
    """A number of bytes as people say it: 10 MB, 300 KB."""
    if count >= 1024 * 1024:
        return f"{count / 1048576:.3g} MB"
    return f"{max(1, round(count / 1024))} KB"


def check_size(data: bytes, limits: Limits) -> None:
    """Refuse an empty file or one over the byte limit."""
    if len(data) > limits.max_bytes:
        size, limit = size_text(len(data)), size_text(limits.max_bytes)
        if size == limit:
            raise rejected(f"The file is larger than {limit}, the limit.")
        raise rejected(f"The file is {size}; the limit is {limit}.")
    if not data.strip():
        raise rejected("The file is empty.")

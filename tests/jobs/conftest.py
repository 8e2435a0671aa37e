"""Fixtures for the job tests."""

from collections.abc import Iterator

import pytest

from tests.jobs.handlers import RUNS


@pytest.fixture(autouse=True)
def fresh_run_counts() -> Iterator[None]:
    """Job ids start again in each test's database: so do the run counts."""
    RUNS.clear()
    yield
    RUNS.clear()

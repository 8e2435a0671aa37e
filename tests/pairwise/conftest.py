"""Pairwise tests use the next-steps workshop (a facilitator, a lead and a member)."""

from tests.nextsteps.conftest import workshop  # noqa: F401  (a fixture)

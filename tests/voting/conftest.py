"""Voting tests share the next-steps fixtures: a workshop with a lead, members and steps."""

from tests.nextsteps.conftest import *  # noqa: F403

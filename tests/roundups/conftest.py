"""Fixtures for round-up tests: the demo workshop, tagged, with its next steps."""

import pytest
from flask import Flask

from insights.extensions import db
from insights.workshops.models import Workshop
from tests.roundups.demo import demo_workshop


@pytest.fixture
def demo(app: Flask) -> Workshop:
    """The demo workshop ready for a round-up."""
    return demo_workshop(db.session)

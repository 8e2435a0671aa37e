"""The workshop insight and user-needs tracker: a Flask app for civil-society data workshops.

The factory lives in insights.app; importing the package stays light so that the command
line starts quickly and loads Flask's extensions, spaCy and pandas only when a command runs.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> "Flask":
    """Build the app (see insights.app.create_app)."""
    from insights.app import create_app as build

    return build(test_config)

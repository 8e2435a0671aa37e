"""Forms shared by every feature."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ButtonForm(FlaskForm):
    """A button that posts: CSRF token only."""

    submit = SubmitField("Go")

"""Forms and fields shared by every feature."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField


class ButtonForm(FlaskForm):
    """A button that posts: CSRF token only."""

    submit = SubmitField("Go")


class BoundedIntegerField(IntegerField):
    """A whole number of at most `max_digits` digits, refused before any conversion: a
    400-digit number would otherwise overflow the range check (int too large for a float)."""

    def __init__(self, *args: Any, max_digits: int = 9, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_digits = max_digits

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Refuse over-long numbers as "not a whole number"; convert the rest as usual."""
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.max_digits:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)

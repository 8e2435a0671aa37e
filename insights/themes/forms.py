"""Theme forms: a theme's details and patterns, merging, and picking a theme to add."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

PATTERNS_HINT = (
    "One a line. Words match in any form (“volunteer” also finds “volunteers”); "
    "“quoted words” match exactly as written; add “@ 0.6” to make a pattern weigh less "
    "than a sure sign (1). Token rules are JSON. Leave empty to derive patterns from the "
    "name and description."
)


def optional_id(value: object) -> int | None:
    """A select's value as an id, or None for the empty choice."""
    text = str(value or "")
    return int(text) if text.isdecimal() else None


class ThemeForm(FlaskForm):
    """A theme's name, description, parent and patterns."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("What belongs here", validators=[Length(max=2000)])
    parent_id = SelectField("Inside theme", coerce=optional_id, validate_choice=False)
    patterns = TextAreaField("Patterns", validators=[Length(max=50_000)])


class MergeThemeForm(FlaskForm):
    """Merge a theme into another."""

    into_id = SelectField("Merge into", coerce=optional_id, validate_choice=False)


class PickThemeForm(FlaskForm):
    """A theme to add to a statement."""

    theme_id = SelectField("Add a theme", coerce=optional_id, validate_choice=False)


class BulkThemeForm(FlaskForm):
    """The board's bulk action: one theme, accepted or rejected on the selected cards."""

    bulk_theme = SelectField("Theme", coerce=optional_id, validate_choice=False)
    bulk_action = HiddenField()


class AdoptForm(FlaskForm):
    """Add an emerging phrase to the taxonomy."""

    key = HiddenField(validators=[DataRequired(), Length(max=200)])
    label = HiddenField(validators=[DataRequired(), Length(max=120)])

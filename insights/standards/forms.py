"""Data standard forms: draft, edit a field, add from the library, publish, comment."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from insights.roundups.forms import CheckboxesField
from insights.roundups.services import COMMENT_MAX
from insights.standards.models import FIELD_TYPES

TYPE_CHOICES = [
    ("string", "Text"),
    ("integer", "Whole number"),
    ("number", "Number"),
    ("boolean", "Yes or no"),
    ("year", "Year"),
    ("date", "Date"),
]
assert {value for value, _ in TYPE_CHOICES} == set(FIELD_TYPES)


class DraftForm(FlaskForm):
    """Draft a new standard from the workshop's needs."""

    title = StringField("Title of the standard", validators=[Optional(), Length(max=200)])


def finite_number(form: FlaskForm, field: DecimalField) -> None:
    """Refuse NaN and infinities, which Decimal reads but no Table Schema can hold."""
    if field.data is not None and not field.data.is_finite():
        raise ValidationError("Give a number, such as 0.")


class FieldForm(FlaskForm):
    """Everything a lead sets on one field, and the needs it serves."""

    name = StringField("Column name", validators=[DataRequired(), Length(max=60)])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    question = TextAreaField("Question, as a survey asks it", validators=[Length(max=2000)])
    definition = TextAreaField("Definition, in plain words", validators=[Length(max=4000)])
    type = SelectField("Type", choices=TYPE_CHOICES, default="string")
    unit = StringField("Unit", validators=[Length(max=40)])
    allowed_values = TextAreaField(
        "Allowed values, one a line as code = label (leave empty for any value)",
        validators=[Length(max=20_000)],
    )
    minimum = DecimalField(
        "Smallest allowed number", validators=[Optional(), finite_number], places=None
    )
    pattern = StringField("Pattern (a regular expression) for text", validators=[Length(max=200)])
    required = BooleanField("Every row must answer it")
    identifying = BooleanField("Identifies an organisation: never pooled or published")
    guidance = TextAreaField("Guidance for whoever collects it", validators=[Length(max=4000)])
    needs = CheckboxesField("Needs this field serves", coerce=int, validate_choice=False)


class LibraryForm(FlaskForm):
    """Add one field of the starter library to the draft."""

    name = SelectField("Field from the library", choices=[])


class PublishForm(FlaskForm):
    """Publish the draft as it was when the page was opened."""

    version = HiddenField()


class CommentForm(FlaskForm):
    """A comment on one version of the standard."""

    body = TextAreaField(
        "Your comment on this version", validators=[DataRequired(), Length(max=COMMENT_MAX)]
    )


def parse_allowed_values(text: str) -> list[dict[str, str]]:
    """Lines of "code = label" (or just "code") as the field's code list."""
    values = []
    for line in text.splitlines():
        code, _, label = line.partition("=")
        code, label = code.strip(), label.strip()
        if code:
            values.append({"code": code[:120], "label": (label or code)[:300]})
    return values


def allowed_values_text(values: list[dict[str, str]]) -> str:
    """A code list as the form shows it."""
    return "\n".join(f"{v['code']} = {v['label']}" for v in values)

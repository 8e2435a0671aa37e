"""Submission forms: the upload, the column mapping."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from insights.submissions.services import FIRST_YEAR, LAST_YEAR


class UploadForm(FlaskForm):
    """A filled-in template for a borough and a year, against a published version."""

    version = SelectField("Version of the standard", coerce=int)
    organisation = StringField(
        "Submitting organisation", validators=[DataRequired(), Length(max=200)]
    )
    borough = SelectField("Borough", validators=[DataRequired()])
    year = IntegerField(
        "Year the answers describe", validators=[DataRequired(), NumberRange(FIRST_YEAR, LAST_YEAR)]
    )
    shape = RadioField(
        "What the file holds",
        choices=[
            ("rows", "One row per responding organisation (the template)"),
            ("aggregates", "Counts already added up: columns field, value, count"),
        ],
        default="rows",
    )
    file = FileField("Filled-in template (CSV or XLSX)", validators=[FileRequired()])


class MappingForm(FlaskForm):
    """One select per column of the file; fields are added by the view."""

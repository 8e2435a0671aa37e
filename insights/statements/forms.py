"""Statement forms: capture, edit, split, merge and the structured need."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from insights.statements.models import NEED_STATUSES
from insights.statements.services import MAX_TEXT_LENGTH
from insights.workshops.forms import KIND_CHOICES


class CaptureForm(FlaskForm):
    """One post-it typed by a facilitator: text, exercise, kind, organisation and borough."""

    text = TextAreaField("Post-it", validators=[DataRequired(), Length(max=MAX_TEXT_LENGTH)])
    exercise_id = SelectField("Exercise", coerce=int, choices=[], validate_choice=False)
    kind = SelectField(
        "Kind", choices=[("", "as the exercise"), *KIND_CHOICES], validate_choice=False
    )
    organisation = StringField("Organisation", validators=[Length(max=200)])
    borough = StringField("Borough", validators=[Length(max=80)])
    author_name = StringField("Said by", validators=[Length(max=120)])
    submit = SubmitField("Save post-it")


class ParticipantPostForm(FlaskForm):
    """A post-it from a participant's phone; "anonymous" hides the name only."""

    exercise_id = RadioField("Which question?", coerce=int, choices=[], validate_choice=False)
    text = TextAreaField("Your post-it", validators=[DataRequired(), Length(max=MAX_TEXT_LENGTH)])
    anonymous = BooleanField("Post without my name", default=True)
    author_name = StringField("Your name (optional)", validators=[Length(max=120)])
    organisation = StringField("Your organisation (optional)", validators=[Length(max=200)])
    borough = SelectField("Your borough (optional)", choices=[], default="")
    submit = SubmitField("Add post-it")


class EditForm(FlaskForm):
    """Change a post-it's current wording; the original is kept."""

    text = TextAreaField("Wording", validators=[DataRequired(), Length(max=MAX_TEXT_LENGTH)])
    version = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Save wording")


class SplitForm(FlaskForm):
    """Split one post-it into two."""

    first = TextAreaField("First post-it", validators=[DataRequired(), Length(max=MAX_TEXT_LENGTH)])
    second = TextAreaField(
        "Second post-it", validators=[DataRequired(), Length(max=MAX_TEXT_LENGTH)]
    )
    submit = SubmitField("Split in two")


class MergeForm(FlaskForm):
    """Merge the selected duplicates into one post-it."""

    keep = HiddenField()
    submit = SubmitField("Merge")


class NeedForm(FlaskForm):
    """The structured need: As a / I need / so that, met when, and its status."""

    role = StringField("As a", validators=[Length(max=500)])
    goal = TextAreaField("I need", validators=[Length(max=2000)])
    benefit = TextAreaField("So that", validators=[Length(max=2000)])
    met_when = TextAreaField("Met when", validators=[Length(max=2000)])
    status = SelectField("Status", choices=[(s, s.replace("-", " ")) for s in NEED_STATUSES])
    status_reason = StringField(
        "Reason (for duplicate or not valid)", validators=[Optional(), Length(max=500)]
    )
    version = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Save need")

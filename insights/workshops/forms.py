"""Workshop forms: details, status, exercises, members and participants."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from insights.organisations.models import ORGANISATION_TYPES
from insights.workshops.models import STATEMENT_KINDS

KIND_CHOICES = [(kind, kind.replace("-", " ").capitalize()) for kind in STATEMENT_KINDS]


class WorkshopForm(FlaskForm):
    """A workshop's details."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    date = DateField("Date", validators=[Optional()])
    host_network = StringField("Host network", validators=[Length(max=200)])
    place = StringField("Place (or the call's name)", validators=[Length(max=200)])
    online = BooleanField("Online")
    description = TextAreaField("Description", validators=[Length(max=5000)])
    with_templates = BooleanField(
        "Start with the five exercises of a “data about the sector” workshop", default=True
    )
    version = HiddenField()
    submit = SubmitField("Save")


class StatusForm(FlaskForm):
    """Move the workshop to another status."""

    status = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Change status")


class ExerciseForm(FlaskForm):
    """One exercise: a prompt collecting statements of one kind."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    prompt = TextAreaField("Prompt", validators=[DataRequired(), Length(max=1000)])
    kind = SelectField("Kind of statement", choices=KIND_CHOICES)
    submit = SubmitField("Save exercise")


class MemberForm(FlaskForm):
    """Invite an account to the workshop."""

    email = StringField(
        "Email of an existing account",
        validators=[DataRequired(), Regexp(r"^[^@\s]+@[^@\s]+$", message="Not an email address.")],
    )
    role = SelectField(
        "As",
        choices=[("member", "Member (reads, comments, votes)"), ("facilitator", "Facilitator")],
    )
    submit = SubmitField("Add")


class ParticipantForm(FlaskForm):
    """Someone taking part, with their organisation."""

    name = StringField("Name", validators=[Length(max=120)])
    named_with_consent = BooleanField("They agree to be named in the round-up")
    organisation = StringField("Organisation", validators=[Length(max=200)])
    organisation_type = SelectField(
        "Organisation type",
        choices=[
            (t, t.replace("-", " ").upper() if t == "cvs" else t.replace("-", " ").capitalize())
            for t in ORGANISATION_TYPES
        ],
    )
    # Choices are the boroughs in the database, set by the view, and checked against them.
    borough = SelectField("Borough", choices=[])
    org_id = StringField("Org-id (e.g. GB-CHC-1090095)", validators=[Length(max=40)])
    submit = SubmitField("Add participant")

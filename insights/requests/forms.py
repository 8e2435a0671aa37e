"""Data request forms: the draft, marking it sent, and recording the reply."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from insights.nextsteps.forms import CheckboxesField

REPLY_CHOICES = [("answered", "Answered"), ("declined", "Declined")]
COVERAGE_CHOICES = [("serves", "Serves the needs"), ("partly-serves", "Partly serves them")]


class DraftForm(FlaskForm):
    """Who the request is to, what it says, and which gaps it asks about."""

    addressee = StringField(
        "To (publisher or holder)", validators=[DataRequired(), Length(max=300)]
    )
    contact = StringField("Email or postal address", validators=[Length(max=300)])
    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Text of the request", validators=[DataRequired(), Length(max=20000)])
    needs = CheckboxesField("Gaps it asks about")
    version = HiddenField()
    submit = SubmitField("Save the draft")


class SentForm(FlaskForm):
    """The day the request went out."""

    sent_on = DateField("Sent on", validators=[DataRequired()])
    submit = SubmitField("Mark as sent")


class ReplyForm(FlaskForm):
    """The reply: answered or declined, when, what they said, and any dataset they named."""

    status = SelectField("Reply", choices=REPLY_CHOICES)
    answered_on = DateField("Reply received on", validators=[DataRequired()])
    answer = TextAreaField("What they said", validators=[Length(max=20000)])
    dataset = SelectField("Dataset they named (links it to the needs)", choices=[], coerce=str)
    coverage = SelectField("It", choices=COVERAGE_CHOICES)
    submit = SubmitField("Record the reply")


class NewRequestForm(FlaskForm):
    """One or more gaps to draft one request about."""

    needs = CheckboxesField("Gaps")
    submit = SubmitField("Draft a data request")

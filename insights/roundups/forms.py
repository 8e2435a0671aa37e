"""Round-up forms: edit, publish, share, comment."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from insights.roundups.content import SECTIONS
from insights.roundups.services import COMMENT_MAX, NARRATIVE_PROMPT

VISIBILITY_CHOICES = [
    ("members", "To the workshop's members (they must log in)"),
    ("public", "At a public link anyone with the link can open, without logging in"),
]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EditForm(FlaskForm):
    """The title, the narrative and which generated sections to hide."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    narrative = TextAreaField(
        "Narrative (Markdown)",
        validators=[Length(max=50_000)],
        render_kw={"placeholder": NARRATIVE_PROMPT, "rows": 12},
    )
    hidden = CheckboxesField("Hide these sections", choices=list(SECTIONS), validate_choice=True)
    version = HiddenField()


class PublishForm(FlaskForm):
    """Publish a draft to members or at a public link."""

    visibility = RadioField("Publish", choices=VISIBILITY_CHOICES, default="members")
    version = HiddenField()


class CommentForm(FlaskForm):
    """A comment on the round-up or on a next step."""

    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=COMMENT_MAX)])

"""The carry-forward form: which items, to which workshop (or a new one), moved or copied."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from insights.nextsteps.forms import CheckboxesField

NEW_WORKSHOP = "new"
MODE_CHOICES = [
    ("copy", "Copy them (they stay here too, marked as carried)"),
    ("move", "Move them (they leave this workshop)"),
]


class CarryForm(FlaskForm):
    """Undiscussed post-its and next steps to carry to the next workshop."""

    statements = CheckboxesField("Post-its no next step takes up")
    next_steps = CheckboxesField("Next steps not yet discussed")
    target = SelectField("Carry them to", choices=[], validate_choice=False)
    new_title = StringField("Title of the new workshop", validators=[Length(max=200)])
    new_date = DateField("Its date", validators=[Optional()])
    mode = RadioField("How", choices=MODE_CHOICES, default="copy")
    submit = SubmitField("Carry to the next workshop")

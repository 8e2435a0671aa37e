"""Voting forms: open a round, place or take back a dot."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from insights.core.forms import BoundedIntegerField
from insights.nextsteps.forms import CheckboxesField
from insights.voting.services import MAX_DOTS


class VoteRoundForm(FlaskForm):
    """Open a dot vote."""

    title = StringField("Title of the vote", validators=[DataRequired(), Length(max=200)])
    next_steps = CheckboxesField("Next steps on the ballot")
    needs = CheckboxesField("Needs on the ballot (optional)")
    dots_per_member = BoundedIntegerField(
        "Dots per member",
        default=3,
        validators=[
            InputRequired(message="Say how many dots each member has."),
            NumberRange(1, MAX_DOTS, message=f"Between 1 and {MAX_DOTS} dots."),
        ],
    )
    several_dots_per_item = BooleanField("Members may put several dots on one item", default=True)
    show_results_live = BooleanField("Show results while the vote is open")
    submit = SubmitField("Open the vote")


class DotForm(FlaskForm):
    """Place or take back a dot on one ballot item."""

    item_id = HiddenField(validators=[DataRequired()])

"""The pairwise form: the step picked and the one it was picked over."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired


class ChoiceForm(FlaskForm):
    """One pick between two next steps."""

    winner = HiddenField(validators=[DataRequired()])
    loser = HiddenField(validators=[DataRequired()])

"""Next-step forms: the step, a vote round, a dot, the ranking weights, a pooling opportunity."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from insights.nextsteps.models import NEXT_STEP_STATUSES
from insights.nextsteps.ranking import FACTORS, MAX_WEIGHT, MIN_WEIGHT

STATUS_CHOICES = [(s, s.replace("-", " ").capitalize()) for s in NEXT_STEP_STATUSES]
EFFORT_CHOICES = [("", "Not set"), ("S", "S — small"), ("M", "M — medium"), ("L", "L — large")]
IMPACT_CHOICES = [("", "Not set"), *((str(n), str(n)) for n in range(1, 6))]


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (ids), which reads better than a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, **kwargs: object) -> None:
        super().__init__(label, coerce=int, choices=[], validate_choice=False, **kwargs)


class NextStepForm(FlaskForm):
    """Every field of a next step."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=10000)])
    needs = CheckboxesField("Needs and gaps it addresses")
    statements = CheckboxesField("Other post-its behind it")
    themes = CheckboxesField("Themes")
    datasets = CheckboxesField("Datasets it uses or improves")
    owner = SelectField("Owner", choices=[], validate_choice=False)
    owner_organisation_name = StringField(
        "…or a new owner organisation", validators=[Length(max=200)]
    )
    status = SelectField("Status", choices=STATUS_CHOICES)
    due_date = DateField("Due date", validators=[Optional()])
    effort = SelectField("Effort", choices=EFFORT_CHOICES)
    impact = SelectField("Expected impact (1 low – 5 high)", choices=IMPACT_CHOICES)
    notes = TextAreaField("Notes", validators=[Length(max=10000)])
    version = HiddenField()
    submit = SubmitField("Save next step")


def weights_form_class() -> type[FlaskForm]:
    """A form with one whole-number field per ranking factor (range checked in ranking)."""

    class WeightsForm(FlaskForm):
        submit = SubmitField("Save weights and re-rank")

    for name, (label, _, hint) in FACTORS.items():
        field = StringField(
            f"{label} ({MIN_WEIGHT}–{MAX_WEIGHT})",
            description=hint,
            validators=[InputRequired(message=f"Give {label} a weight.")],
        )
        setattr(WeightsForm, name, field)
    return WeightsForm


class PoolingForm(FlaskForm):
    """A pooling opportunity sent from the gaps or graph page."""

    title = StringField("Title", validators=[Length(max=200)])
    kind = SelectField(choices=[("held-data", "Held data"), ("shared-gap", "Shared gap")])
    theme = StringField(validators=[Length(max=60)])
    boroughs = TextAreaField(validators=[Length(max=2000)])
    items = TextAreaField(validators=[Length(max=20000)])

"""Forms of the catalogue: a dataset, a catalogue file to import, and link decisions."""

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from insights.datasets.models import ACCESS_LEVELS, GRANULARITIES
from insights.datasets.records import split_keywords

GRANULARITY_LABELS = {
    "": "Not known",
    "point": "Point or address",
    "grant": "One row per grant",
    "organisation": "One row per organisation",
    "oa": "Output area",
    "lsoa": "LSOA (neighbourhood)",
    "msoa": "MSOA",
    "ward": "Ward",
    "borough": "Borough / local authority",
    "region": "Region (London)",
    "national": "National",
}
ACCESS_LABELS = {"open": "Open", "restricted": "Restricted", "held-privately": "Held privately"}


class DatasetForm(FlaskForm):
    """A catalogue entry's fields; `version` carries the version the person opened."""

    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional()])
    landing_page = URLField(
        "Landing page", validators=[Optional(), URL(require_tld=False), Length(max=1000)]
    )
    licence = StringField("Licence", validators=[Optional(), Length(max=200)])
    keywords = StringField("Keywords (separated by commas)", validators=[Optional()])
    themes = SelectMultipleField("Themes", choices=[], validators=[Optional()])
    spatial_coverage = StringField(
        "Spatial coverage (e.g. London, England, UK, Hackney)",
        validators=[Optional(), Length(max=120)],
    )
    granularity = SelectField(
        "Granularity", choices=[(g, GRANULARITY_LABELS[g]) for g in ("", *GRANULARITIES)]
    )
    update_frequency = StringField("Update frequency", validators=[Optional(), Length(max=40)])
    access = SelectField("Access", choices=[(a, ACCESS_LABELS[a]) for a in ACCESS_LEVELS])
    holder_organisation_id = SelectField("Held by (organisation)", choices=[], coerce=str)
    version = HiddenField()
    submit = SubmitField("Save dataset")

    def values(self) -> dict[str, Any]:
        """The entered values, as the dataset services take them."""
        holder = self.holder_organisation_id.data
        return {
            "title": (self.title.data or "").strip(),
            "publisher": (self.publisher.data or "").strip(),
            "description": (self.description.data or "").strip(),
            "landing_page": (self.landing_page.data or "").strip(),
            "licence": (self.licence.data or "").strip(),
            "keywords": split_keywords(self.keywords.data or ""),
            "spatial_coverage": (self.spatial_coverage.data or "").strip(),
            "granularity": self.granularity.data or "",
            "update_frequency": (self.update_frequency.data or "").strip(),
            "access": self.access.data or "open",
            "holder_organisation_id": int(holder) if holder and holder.isdecimal() else None,
        }


class ImportForm(FlaskForm):
    """A catalogue file: CSV, CKAN API JSON or DCAT data.json."""

    file = FileField("Catalogue file (CSV or JSON, up to 10 MB)", validators=[FileRequired()])
    submit = SubmitField("Read the file")


class ConfirmImportForm(FlaskForm):
    """A catalogue upload's preview: import what it shows, or cancel."""

    confirm = SubmitField("Import datasets")
    cancel = SubmitField("Cancel")


class HarvestForm(FlaskForm):
    """A catalogue to harvest: a CKAN portal's address or a data.json / DCAT URL."""

    url = StringField(
        "Address of a CKAN portal, or of a data.json / DCAT file",
        validators=[DataRequired(), URL(require_tld=False), Length(max=1000)],
        render_kw={"placeholder": "https://data.london.gov.uk", "inputmode": "url"},
    )
    organisation = StringField(
        "Only this CKAN organisation (its name in the portal's addresses)",
        validators=[Optional(), Length(max=200)],
    )
    tag = StringField("Only datasets with this CKAN tag", validators=[Optional(), Length(max=200)])
    every_hours = SelectField(
        "Harvest again",
        choices=[
            ("0", "only when I ask"),
            ("24", "every day"),
            ("168", "every week"),
            ("720", "every 30 days"),
        ],
        default="0",
    )
    submit = SubmitField("Harvest now")


class ActionForm(FlaskForm):
    """A button that changes something: a CSRF token and the action chosen."""

    action = HiddenField()
    dataset_id = HiddenField()

"""Forms of bulk in: paste many post-its, upload a file, map its columns and confirm."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, SelectField, SubmitField, TextAreaField

from insights.statements.imports import FIELD_LABELS, FIELDS
from insights.workshops.models import STATEMENT_KINDS, Workshop

DEFAULT_KIND_CHOICES = [("", "none: each row names its kind or exercise")] + [
    (kind, kind) for kind in STATEMENT_KINDS
]
MAPPING_CHOICES = [("", "ignore this column")] + [(name, FIELD_LABELS[name]) for name in FIELDS]


class PasteForm(FlaskForm):
    """Many post-its typed or pasted at once, one per line, into one exercise."""

    text = TextAreaField(
        "Post-its, one per line",
        render_kw={"rows": 14, "spellcheck": "true"},
    )
    exercise = SelectField("Exercise for lines without a kind", choices=[], validate_choice=True)
    submit = SubmitField("Add post-its")

    def for_workshop(self, workshop: Workshop) -> "PasteForm":
        """Offer the workshop's exercises."""
        self.exercise.choices = [(e.key, f"{e.title} ({e.kind})") for e in workshop.exercises] or [
            ("", "(this workshop has no exercises)")
        ]
        return self


class UploadForm(FlaskForm):
    """A CSV or XLSX file of post-its to preview before importing."""

    file = FileField(
        "CSV or XLSX file",
        validators=[FileRequired("Choose a CSV or XLSX file to upload.")],
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )
    kind = SelectField(
        "Kind for rows that name no kind or exercise", choices=DEFAULT_KIND_CHOICES, default=""
    )
    submit = SubmitField("Preview")


class MappingForm(FlaskForm):
    """What each column of the uploaded file holds, then check again or import."""

    columns = FieldList(SelectField(choices=MAPPING_CHOICES), min_entries=0)
    kind = SelectField(
        "Kind for rows that name no kind or exercise", choices=DEFAULT_KIND_CHOICES, default=""
    )
    check = SubmitField("Check again")
    confirm = SubmitField("Import")
    cancel = SubmitField("Cancel")

    def label_columns(self, headers: list[str]) -> None:
        """One select per column, labelled by its header."""
        while len(self.columns.entries) < len(headers):
            self.columns.append_entry("")
        for entry, header in zip(self.columns.entries, headers, strict=False):
            entry.label.text = f"Column {header!r} holds"

    def mapping(self, headers: list[str]) -> dict[str, str]:
        """Column header -> field, for the columns mapped to a field."""
        chosen = [entry.data or "" for entry in self.columns.entries]
        pairs = zip(headers, chosen, strict=False)
        return {header: name for header, name in pairs if name in FIELDS}

"""Forms of bulk in: paste many post-its, upload a file, map its columns and confirm."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, SelectField, SubmitField, TextAreaField

from insights.statements.import_dates import DATE_ORDERS
from insights.statements.import_mapping import FIELD_LABELS, FIELDS, IGNORE
from insights.statements.imports import MAX_IMPORTED_TEXT_LENGTH
from insights.workshops.models import STATEMENT_KINDS, Workshop

DEFAULT_KIND_CHOICES = [("", "none: each row names its kind or exercise")] + [
    (kind, kind) for kind in STATEMENT_KINDS
]
MAPPING_CHOICES = [(IGNORE, "do not import this column")] + [
    (name, FIELD_LABELS[name]) for name in FIELDS
]
DATE_CHOICES = [("", "day first unless the file shows otherwise")] + list(DATE_ORDERS.items())
UPLOAD_HINT = (
    "A CSV (UTF-8, UTF-16 or Windows), TSV or XLSX file of at most 10 MB, 50,000 rows and 500 "
    "columns: typed-up post-its, or an export from Miro, Parabol, Padlet, Mentimeter, EasyRetro, "
    "Google Forms, Microsoft Forms, Typeform or SurveyMonkey; or a Trello board's JSON export "
    "(one post-it per card). Blank answers are skipped, answers "
    f"up to {MAX_IMPORTED_TEXT_LENGTH:,} characters are kept whole, and rows already in the "
    "workshop are not added twice. You choose what each column holds on the next page."
)


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
    """A CSV, XLSX or Trello board file of post-its to preview before importing."""

    file = FileField(
        "CSV, XLSX or Trello board (JSON) file",
        validators=[FileRequired("Choose a CSV, XLSX or Trello board file to upload.")],
        render_kw={"accept": ".csv,.tsv,.txt,.xlsx,.json,text/csv"},
    )
    kind = SelectField(
        "Kind for rows that name no kind or exercise", choices=DEFAULT_KIND_CHOICES, default=""
    )
    submit = SubmitField("Preview")


class MappingForm(FlaskForm):
    """What each column of the uploaded file holds, how to read it, then check again or import."""

    columns = FieldList(SelectField(choices=MAPPING_CHOICES), min_entries=0)
    kind = SelectField(
        "Kind for rows that name no kind or exercise", choices=DEFAULT_KIND_CHOICES, default=""
    )
    dates = SelectField("Dates are written", choices=DATE_CHOICES, default="")
    sheet = SelectField("Sheet", choices=[], validate_choice=False)
    header_row = SelectField("Row holding the headers", choices=[], validate_choice=False)
    check = SubmitField("Check again")
    confirm = SubmitField("Import")
    cancel = SubmitField("Cancel")

    def label_columns(self, headers: list[str]) -> None:
        """One select per column, labelled by its header."""
        while len(self.columns.entries) < len(headers):
            self.columns.append_entry(IGNORE)
        for entry, header in zip(self.columns.entries, headers, strict=False):
            entry.label.text = f"Column {header!r} holds"

    def mapping(self, headers: list[str]) -> dict[str, str]:
        """Column header -> field (or ignore) for every column."""
        chosen = [entry.data or IGNORE for entry in self.columns.entries]
        pairs = zip(headers, chosen, strict=False)
        return {header: (name if name in FIELDS else IGNORE) for header, name in pairs}

    def offer_reading(self, sheets: tuple[str, ...], header_row: int) -> None:
        """Offer the workbook's sheets and the first rows as header rows."""
        self.sheet.choices = [(name, name) for name in sheets] or [("", "(one sheet)")]
        self.header_row.choices = [(str(n), f"row {n}") for n in range(1, 21)]
        if not self.header_row.data:
            self.header_row.data = str(header_row)

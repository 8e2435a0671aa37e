"""The round-up's outline as a Word document (python-docx)."""

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from insights.roundups.outline import DocumentFacts, Item

LIST_STYLES = {"bullet": "List Bullet", "number": "List Number"}
TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins


def write_docx(items: list[Item], chart_png: bytes, facts: DocumentFacts | None = None) -> bytes:
    """A DOCX of the outline; the chart item becomes the PNG; the core properties carry the
    workshop's title and host."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    set_properties(document, facts or DocumentFacts(first_heading(items), "", "", ""))
    for item in items:
        add_item(document, item, chart_png)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def first_heading(items: list[Item]) -> str:
    """The document's title when nothing better is known."""
    return next((i.text for i in items if i.kind == "heading"), "")


def set_properties(document: DocumentType, facts: DocumentFacts) -> None:
    """Title, author (the host), subject and keywords, as File › Info shows them."""
    properties = document.core_properties
    properties.title = facts.title
    properties.author = facts.author
    properties.last_modified_by = facts.author
    properties.subject = facts.subject
    properties.keywords = facts.keywords
    properties.comments = "Made with the workshop insight and user-needs tracker."
    if facts.created is not None:
        properties.created = facts.created


def add_item(document: DocumentType, item: Item, chart_png: bytes) -> None:
    """Add one outline item to the document."""
    if item.kind == "heading":
        heading = document.add_heading(item.text, level=min(item.level, 4) if item.level > 1 else 0)
        heading.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    elif item.kind == "meta":
        document.add_paragraph().add_run(item.text).italic = True
    elif item.kind == "quote":
        document.add_paragraph(item.text, style="Intense Quote")
    elif item.kind in LIST_STYLES:
        style = LIST_STYLES[item.kind] + (" 2" if item.level > 1 else "")
        document.add_paragraph(item.text, style=style)
    elif item.kind == "table":
        add_table(document, item.rows, item.widths)
    elif item.kind == "chart":
        if chart_png:
            document.add_picture(io.BytesIO(chart_png), width=Cm(16.5))
    else:
        document.add_paragraph(item.text)


def add_table(document: DocumentType, rows: list[list[str]], widths: tuple[float, ...]) -> None:
    """A table with a bold header row that repeats on each page, text aligned left."""
    columns = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # justified cells leave gaps
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.bold = r == 0
    repeat_header(table)
    if len(widths) == columns:
        set_widths(table, widths)
    document.add_paragraph()


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row, repeated at the top of each page."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_widths(table: Table, widths: tuple[float, ...]) -> None:
    """Share the text width among the columns in the given proportions."""
    table.autofit = False
    total = sum(widths)
    for column, share in zip(table.columns, widths, strict=True):
        width = Cm(TEXT_WIDTH_CM * share / total)
        column.width = width
        for cell in column.cells:
            cell.width = width

"""The round-up's outline as a Word document (python-docx)."""

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm, Pt

from insights.roundups.outline import Item

LIST_STYLES = {"bullet": "List Bullet", "number": "List Number"}


def write_docx(items: list[Item], chart_png: bytes) -> bytes:
    """A DOCX of the outline; the chart item becomes the PNG."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    document.core_properties.title = next((i.text for i in items if i.kind == "heading"), "")
    for item in items:
        add_item(document, item, chart_png)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_item(document: DocumentType, item: Item, chart_png: bytes) -> None:
    """Add one outline item to the document."""
    if item.kind == "heading":
        document.add_heading(item.text, level=min(item.level, 4) if item.level > 1 else 0)
    elif item.kind == "meta":
        document.add_paragraph().add_run(item.text).italic = True
    elif item.kind == "quote":
        document.add_paragraph(item.text, style="Intense Quote")
    elif item.kind in LIST_STYLES:
        style = LIST_STYLES[item.kind] + (" 2" if item.level > 1 else "")
        document.add_paragraph(item.text, style=style)
    elif item.kind == "table":
        add_table(document, item.rows)
    elif item.kind == "chart":
        if chart_png:
            document.add_picture(io.BytesIO(chart_png), width=Cm(16.5))
    else:
        document.add_paragraph(item.text)


def add_table(document: DocumentType, rows: list[list[str]]) -> None:
    """A table with a bold header row."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Light Grid Accent 1"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.bold = r == 0
    document.add_paragraph()

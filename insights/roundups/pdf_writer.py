"""The round-up's outline as an A4 PDF (fpdf2, with the DejaVu fonts matplotlib ships, so any
character prints and no system font or browser is needed)."""

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from insights.roundups.outline import DocumentFacts, Item

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
HEADING_SIZES = {1: 20, 2: 15, 3: 12, 4: 11}
ACCENT = (11, 95, 138)


class RoundUpPDF(FPDF):
    """A4 portrait pages with a page number in the footer."""

    def footer(self) -> None:
        """Page n of the document, centred."""
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, f"Page {self.page_no()}", align="C")


def new_pdf(title: str, facts: DocumentFacts | None = None) -> RoundUpPDF:
    """An empty A4 PDF with the fonts registered and the document's facts as its metadata."""
    pdf = RoundUpPDF(format="A4", unit="mm")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(facts.title if facts else title)
    if facts is not None:
        pdf.set_author(facts.author)
        pdf.set_subject(facts.subject)
        pdf.set_keywords(facts.keywords)
    pdf.set_creator("Workshop insights")
    pdf.add_page()
    return pdf


def write_pdf(items: list[Item], chart_png: bytes, facts: DocumentFacts | None = None) -> bytes:
    """A PDF of the outline; the chart item becomes the PNG."""
    pdf = new_pdf(next((i.text for i in items if i.kind == "heading"), "Round-up"), facts)
    number = 0
    for item in items:
        number = number + 1 if item.kind == "number" else 0
        add_item(pdf, item, chart_png, number)
    return bytes(pdf.output())


def add_item(pdf: RoundUpPDF, item: Item, chart_png: bytes, number: int = 0) -> None:
    """Add one outline item to the PDF (number: its place in a numbered list)."""
    pdf.set_text_color(27, 31, 35)
    if item.kind == "heading":
        if pdf.will_page_break(35):
            pdf.add_page()  # keep a heading with what follows it
        pdf.ln(2 if item.level > 1 else 0)
        pdf.set_font("DejaVu", "B", HEADING_SIZES.get(item.level, 11))
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(0, HEADING_SIZES.get(item.level, 11) * 0.5, item.text, align="L")
        pdf.ln(1)
    elif item.kind == "table":
        add_table(pdf, item.rows, item.widths)
    elif item.kind == "chart":
        if chart_png:
            pdf.image(io.BytesIO(chart_png), w=pdf.epw)
            pdf.ln(2)
    else:
        add_text(pdf, item, number)


def add_text(pdf: RoundUpPDF, item: Item, number: int = 0) -> None:
    """A paragraph, meta line, quote or list item."""
    style = "I" if item.kind in ("meta", "quote") else ""
    pdf.set_font("DejaVu", style, 10)
    indent = {"quote": 6, "bullet": 5 * item.level, "number": 5 * item.level}.get(item.kind, 0)
    marker = {"bullet": "• ", "number": f"{number}. "}.get(item.kind, "")
    text = f"“{item.text}”" if item.kind == "quote" else item.text
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, 5, marker + text, align="L")
    pdf.ln(1 if item.kind in ("bullet", "number") else 2.5)


def add_table(pdf: RoundUpPDF, rows: list[list[str]], widths: tuple[float, ...] = ()) -> None:
    """A table, text aligned left (justified text gapes in narrow cells); the first column
    takes the most room unless widths are given; the header repeats on a new page."""
    pdf.set_font("DejaVu", "", 9)
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    if len(widths) != columns:
        widths = (3.0,) + (1.0,) * (columns - 1)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
    with pdf.table(
        col_widths=widths, headings_style=heading, line_height=5, text_align="LEFT"
    ) as table:
        for row in rows:
            table.row(row)
    pdf.ln(3)

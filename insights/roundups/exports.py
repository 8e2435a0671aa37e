"""Round-up downloads: self-contained HTML, Markdown, DOCX, PDF, the statements as XLSX or CSV,
and the needs as a CSV in the "As a / I need / so that / met when" shape."""

import re
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import current_app, render_template

from insights.core.downloads import CONTENT_TYPES
from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.roundups.charts import theme_chart_alt, theme_chart_png, theme_chart_svg
from insights.roundups.content import shown_sections, theme_names_by_statement
from insights.roundups.markdown import render_markdown
from insights.roundups.models import RoundUp
from insights.roundups.outline import Item, document_facts, outline
from insights.statements.exports import export_frame, export_statements
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Workshop

FORMATS = {
    "html": (CONTENT_TYPES["html"], "roundup.html"),
    "md": (CONTENT_TYPES["md"], "roundup.md"),
    "docx": (CONTENT_TYPES["docx"], "roundup.docx"),
    "pdf": (CONTENT_TYPES["pdf"], "roundup.pdf"),
    "xlsx": (CONTENT_TYPES["xlsx"], "roundup.xlsx"),
    "csv": (CONTENT_TYPES["csv"], "statements.csv"),
    "needs-csv": (CONTENT_TYPES["csv"], "needs.csv"),
}
# Formats that hold only what the round-up itself says (so a public link may offer them).
DOCUMENT_FORMATS = ("html", "md", "docx", "pdf")
STYLESHEETS = ("style.css", "roundups/roundup.css", "roundups/print.css")
NEEDS_COLUMNS = (
    "id",
    "As a",
    "I need",
    "so that",
    "met when",
    "status",
    "post-it",
    "organisation",
    "borough",
    "themes",
)


def filename(roundup: RoundUp, slug: str, fmt: str) -> str:
    """A download name such as data-about-the-sector-2021-v2-roundup.pdf."""
    return f"{slug}-v{roundup.number}-{FORMATS[fmt][1]}"


def export(session: DbSession, roundup: RoundUp, workshop: Workshop, fmt: str) -> bytes:
    """The round-up (or the workshop's statements or needs) in one format, as bytes."""
    if fmt == "html":
        return standalone_html(roundup).encode("utf-8")
    if fmt == "md":
        return to_markdown(outline(roundup, raw_narrative=True)).encode("utf-8")
    if fmt == "docx":
        return to_docx(roundup)
    if fmt == "pdf":
        return to_pdf(roundup)
    if fmt == "xlsx":
        return workbook(session, roundup, workshop)
    if fmt == "csv":
        return export_statements(session, workshop, fmt)
    if fmt == "needs-csv":
        return frame_to_csv(needs_frame(session, workshop))
    raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def inline_css() -> str:
    """The app's and the round-up's stylesheets, to inline in an HTML file."""
    folder = Path(current_app.static_folder or "")
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def standalone_html(roundup: RoundUp) -> str:
    """One HTML file that opens offline: CSS and SVG inline, no scripts, nothing fetched."""
    return render_template(
        "roundups/standalone.html",
        roundup=roundup,
        css=inline_css(),
        **body_context(roundup),
    )


def body_context(roundup: RoundUp) -> dict[str, Any]:
    """What the round-up's body template needs besides the round-up."""
    return {
        "content": roundup.content,
        # A page lists every post-it in its sections; the appendix is for the documents.
        "sections": [s for s in shown_sections(roundup.content) if s[0] != "appendix"],
        "narrative": render_markdown(roundup.narrative_md),
        "chart": theme_chart_svg(roundup.content),
        "chart_alt": theme_chart_alt(roundup.content),
    }


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written (no accidental emphasis, links or HTML)."""
    return MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def to_markdown(items: list[Item]) -> str:
    """The outline as Markdown: the narrative as the facilitator wrote it, the rest escaped."""
    lines: list[str] = []
    for position, item in enumerate(items):
        if item.kind == "heading":
            lines += ["#" * item.level + " " + md_escape(item.text), ""]
        elif item.kind == "meta":
            lines += [f"*{md_escape(item.text)}*", ""]
        elif item.kind == "quote":
            lines += [f"> {md_escape(item.text)}", ""]
        elif item.kind in ("bullet", "number"):
            marker = "-" if item.kind == "bullet" else "1."
            lines.append("  " * max(item.level - 1, 0) + f"{marker} {md_escape(item.text)}")
        elif item.kind == "table":
            lines += [*_md_table(item.rows), ""]
        elif item.kind == "markdown":
            lines += [item.text, ""] if item.text else []
        elif item.kind == "chart":
            continue  # the table that follows holds the same figures
        else:
            lines += [md_escape(item.text), ""]
        following = items[position + 1].kind if position + 1 < len(items) else ""
        if item.kind in ("bullet", "number") and following != item.kind:
            lines.append("")  # a blank line ends the list
    return "\n".join(lines).rstrip() + "\n"


def _md_table(rows: list[list[str]]) -> list[str]:
    """A pipe table."""
    header, *body = rows
    lines = ["| " + " | ".join(md_escape(c) for c in header) + " |"]
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in body]
    return lines


def to_docx(roundup: RoundUp) -> bytes:
    """A Word document: headings, paragraphs, quotes, lists, tables and the chart as an image."""
    from insights.roundups.docx_writer import write_docx

    return write_docx(outline(roundup), theme_chart_png(roundup.content), document_facts(roundup))


def to_pdf(roundup: RoundUp) -> bytes:
    """An A4 PDF of the round-up, with the chart as an image."""
    from insights.roundups.pdf_writer import write_pdf

    return write_pdf(outline(roundup), theme_chart_png(roundup.content), document_facts(roundup))


def workbook(session: DbSession, roundup: RoundUp, workshop: Workshop) -> bytes:
    """An XLSX workbook: every statement with its themes and datasets, the needs, the themes
    and the ranked next steps, a sheet each; no cell can run as a formula."""
    content = roundup.content
    sheets = {
        "Statements": export_frame(session, workshop),
        "Needs": needs_frame(session, workshop),
        "Themes": pd.DataFrame(
            [[t["name"], t["slug"], t["count"], t["share"]] for t in content.get("themes", [])],
            columns=["theme", "slug", "post-its", "share"],
        ),
        "Next steps": pd.DataFrame(
            [
                [
                    s["rank"],
                    s["title"],
                    s["description"],
                    s["effort"],
                    s["impact"],
                    s["votes"],
                    s["status"],
                ]
                for s in content.get("next_steps", [])
            ],
            columns=["rank", "next step", "description", "effort", "impact", "dots", "status"],
        ),  # fmt: skip
    }
    return frames_to_xlsx(sheets)


def needs_frame(session: DbSession, workshop: Workshop) -> pd.DataFrame:
    """Every live need of the workshop in the "As a / I need / so that / met when" shape."""
    rows = session.execute(
        sa.select(Statement, NeedDetail, Organisation.name, Borough.name)
        .outerjoin(NeedDetail, NeedDetail.statement_id == Statement.id)
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .outerjoin(Borough, Borough.code == Statement.borough_code)
        .where(Statement.workshop_id == workshop.id, Statement.kind == "need")
        .where(Statement.live())
        .order_by(Statement.created_at, Statement.id)
    ).all()
    themes = theme_names_by_statement(session, [row[0].id for row in rows])
    records = [
        [
            s.id,
            detail.role if detail else "",
            (detail.goal if detail else "") or s.text,
            detail.benefit if detail else "",
            detail.met_when if detail else "",
            detail.status if detail else "proposed",
            s.original_text,
            "" if s.anonymous else (org or ""),
            "" if s.anonymous else (borough or ""),
            "; ".join(name for _, name in themes.get(s.id, [])),
        ]
        for s, detail, org, borough in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(NEEDS_COLUMNS))

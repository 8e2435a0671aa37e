"""The facilitator's narrative: Markdown rendered to HTML that is safe to show anyone, and
read into plain blocks for the DOCX and PDF writers."""

from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is parsed so the sanitiser can remove what is unsafe."""
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Markdown as sanitised HTML: no scripts, no event handlers, no javascript: links."""
    parser = _parser()
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            # The page's own title is the only h1: the narrative's top headings become h2.
            token.tag = f"h{max(int(token.tag[1]), 2)}"
    html = parser.renderer.render(tokens, parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)


@dataclass(frozen=True)
class Block:
    """One block of the narrative: a heading (level 2–4), a paragraph, a list item, or a table
    (rows of plain-text cells, the header row first)."""

    kind: str  # "heading", "paragraph", "bullet", "number", "table"
    text: str
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


def narrative_blocks(text: str) -> list[Block]:
    """The narrative's headings, paragraphs, list items and tables as plain text."""
    blocks: list[Block] = []
    lists: list[str] = []
    heading = 0
    table: list[list[str]] | None = None
    row: list[str] | None = None
    for token in _parser().parse(text or ""):
        if token.type == "table_open":
            table = []
        elif token.type == "table_close" and table is not None:
            if table:
                blocks.append(Block("table", "", rows=table))
            table = None
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if token.type.startswith("bullet") else "number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type in ("heading_open", "heading_close"):
            heading = min(max(int(token.tag[1]), 2), 4) if token.type == "heading_open" else 0
        elif token.type in ("tr_open", "tr_close"):
            if token.type == "tr_close" and row is not None and table is not None:
                table.append(row)
            row = [] if token.type == "tr_open" else None
        elif token.type == "inline":
            plain = inline_text(token.children or [])
            if row is not None:
                row.append(plain)
            elif plain and heading:
                blocks.append(Block("heading", plain, heading))
            elif plain:
                blocks.append(Block(lists[-1] if lists else "paragraph", plain, len(lists)))
    return blocks


def inline_text(children: list[Token]) -> str:
    """The words of an inline run, without raw HTML tags, line breaks as newlines."""
    parts = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type != "html_inline":
            parts.append(child.content)
    return "".join(parts).strip()

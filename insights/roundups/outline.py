"""A round-up as a flat outline of headings, paragraphs, quotes, lists, tables and the chart:
one place decides what a document holds, and the Markdown, DOCX and PDF writers render it."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from insights.roundups.content import shown_sections
from insights.roundups.markdown import narrative_blocks
from insights.roundups.models import RoundUp

KIND_LABELS = {"held-data": "Similar data held in several boroughs", "shared-gap": "A shared gap"}
LISTED = {
    "sources": "Where people look for data",
    "challenges": "Challenges",
    "collected": "Data organisations hold",
    "ideas": "Ideas and opportunities",
}
EXAMPLES = 5  # post-its quoted in a listed section; the appendix has them all


@dataclass(frozen=True)
class Item:
    """One piece of a document: kind is heading, meta, paragraph, bullet, number, quote,
    table, chart or markdown (the narrative as written)."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    widths: tuple[float, ...] = ()  # a table's relative column widths, when not the default


@dataclass(frozen=True)
class DocumentFacts:
    """What a document file says about itself (DOCX core properties, PDF metadata)."""

    title: str
    author: str
    subject: str
    keywords: str
    created: datetime | None = None


def document_facts(roundup: RoundUp) -> DocumentFacts:
    """The workshop's title and host, and which round-up this is."""
    facts = roundup.content.get("workshop", {})
    title = facts.get("title") or roundup.title
    host = facts.get("host_network") or ""
    return DocumentFacts(
        title=title,
        author=host,
        subject=f"{roundup.title} · {version_line(roundup)}",
        keywords="; ".join(
            p for p in ("workshop round-up", host, long_date(facts.get("date", ""))) if p
        ),
        created=roundup.published_at or roundup.created_at,
    )


def long_date(iso: str) -> str:
    """16 September 2021, from 2021-09-16 ("" stays "")."""
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day:%B %Y}"


def byline(item: dict[str, Any]) -> str:
    """Who said it, as far as may be shown: organisation and borough."""
    return ", ".join(part for part in (item.get("organisation"), item.get("borough")) if part)


def said(item: dict[str, Any]) -> str:
    """A post-it with its byline."""
    who = byline(item)
    return f"{item['text']} — {who}" if who else item["text"]


def version_line(roundup: RoundUp) -> str:
    """Version 2, published 3 May 2025 · or · Version 2 (draft)."""
    if roundup.status == "published" and roundup.published_at is not None:
        when = long_date(roundup.published_at.date().isoformat())
        return f"Version {roundup.number}, published {when}"
    return f"Version {roundup.number} (draft)"


def workshop_line(content: dict[str, Any]) -> str:
    """The workshop's title, date, host and place on one line."""
    facts = content.get("workshop", {})
    parts = [facts.get("title"), long_date(facts.get("date", "")), facts.get("host_network")]
    return " · ".join(p for p in [*parts, facts.get("place")] if p)


def outline(roundup: RoundUp, *, raw_narrative: bool = False) -> list[Item]:
    """The whole round-up as document items, in reading order; with raw_narrative the
    narrative stays one Markdown item (for the Markdown file), else it becomes blocks."""
    content = roundup.content
    items = [
        Item("heading", roundup.title, 1),
        Item("meta", workshop_line(content)),
        Item("meta", version_line(roundup)),
    ]
    if raw_narrative:
        items.append(Item("markdown", roundup.narrative_md.strip()))
    else:
        items += [
            Item(b.kind, b.text, b.level, rows=b.rows)
            for b in narrative_blocks(roundup.narrative_md)
        ]
    shown = shown_sections(content)
    appendix = any(key == "appendix" for key, _ in shown)
    for key, title in shown:
        items.append(Item("heading", title, 2))
        items += listed(content, key, appendix) if key in LISTED else SECTION_WRITERS[key](content)
    return items


def _participation(content: dict[str, Any]) -> list[Item]:
    """Counts, the organisations table and the consenting names."""
    who = content["participation"]
    orgs, boroughs = who["organisations"], who["boroughs"]
    items = [
        Item(
            "paragraph",
            f"{who['participants']} people from {len(orgs)} organisations in {len(boroughs)} "
            f"boroughs took part, writing {who['statements']} post-its.",
        )
    ]
    if orgs:
        rows = [[o["name"], o["type"].replace("-", " "), o["borough"]] for o in orgs]
        items.append(Item("table", rows=[["Organisation", "Type", "Borough"], *rows]))
    if who["named"]:
        items.append(Item("paragraph", "Named with their consent: " + ", ".join(who["named"])))
    return items


def _themes(content: dict[str, Any]) -> list[Item]:
    """The chart and the same figures as a table."""
    themes = content["themes"]
    if not themes:
        return [Item("paragraph", "No post-it has a theme yet.")]
    rows = [[t["name"], str(t["count"]), f"{round(100 * t['share'])}%"] for t in themes]
    return [Item("chart"), Item("table", rows=[["Theme", "Post-its", "Share"], *rows])]


def _needs(content: dict[str, Any]) -> list[Item]:
    """The top needs as quotes, with how many there are in all."""
    needs = content["needs"]
    if not needs:
        return [Item("paragraph", "No needs were recorded.")]
    items = [Item("quote", said(need)) for need in needs]
    total = content.get("needs_total", len(needs))
    if total > len(needs):
        items.append(
            Item(
                "paragraph",
                f"The {len(needs)} most supported of {total} needs; the needs CSV has every one.",
            )  # fmt: skip
        )
    return items


def listed(content: dict[str, Any], key: str, appendix: bool) -> list[Item]:
    """A few of a kind's post-its, and where to read every one."""
    entries = content.get(key, [])
    if not entries:
        return [Item("paragraph", "Nothing was recorded here.")]
    items = [Item("bullet", said(entry), 1) for entry in entries[:EXAMPLES]]
    if len(entries) > EXAMPLES:
        where = "the appendix lists" if appendix else "the statements download has"
        items.append(
            Item("paragraph", f"{EXAMPLES} of {len(entries)} post-its; {where} every one.")
        )
    return items


def _appendix(content: dict[str, Any]) -> list[Item]:
    """Every listed post-it, by kind."""
    items = []
    for key, title in LISTED.items():
        entries = content.get(key, [])
        if entries:
            items.append(Item("heading", f"{title} ({len(entries)})", 3))
            items += [Item("bullet", said(entry), 1) for entry in entries]
    return items or [Item("paragraph", "Nothing was recorded.")]


def _gaps(content: dict[str, Any]) -> list[Item]:
    """Gaps by theme, each gap with its closest datasets, then the pooling opportunities."""
    gaps = content["gaps"]
    items = [Item("paragraph", f"{len(gaps)} needs have no dataset confirmed to serve them.")]
    if content["gaps_by_theme"]:
        rows = [[g["theme"], str(g["count"])] for g in content["gaps_by_theme"]]
        items.append(Item("table", rows=[["Theme", "Gaps"], *rows]))
    if gaps:
        rows = [[gap["text"], byline(gap), closest_line(gap)] for gap in gaps]
        header = ["Gap", "Raised by", "Closest datasets (none confirmed to serve it)"]
        items.append(Item("table", rows=[header, *rows], widths=(3.0, 1.6, 2.6)))
    items.append(Item("heading", "Pooling opportunities", 3))
    if not content["pooling"]:
        items.append(Item("paragraph", "None found yet."))
    for pool in content["pooling"]:
        where = ", ".join(pool["boroughs"])
        label = KIND_LABELS.get(pool["kind"], pool["kind"])
        items.append(
            Item("bullet", f"{pool['theme']} — {label} ({where}): {'; '.join(pool['items'])}", 1)
        )
    return items


def closest_line(gap: dict[str, Any]) -> str:
    """The closest datasets of a gap on one line, or what to do when there are none."""
    closest = gap.get("closest", [])
    if not closest:
        return "None in the catalogue yet"
    return "; ".join(
        f"{d['title']} ({d['detail']})" if d["detail"] else d["title"] for d in closest
    )


def _next_steps(content: dict[str, Any]) -> list[Item]:
    """The ranked next steps as a table with owner, due date and status, then what each
    involves."""
    steps = content["next_steps"]
    if not steps:
        return [Item("paragraph", "No next steps yet.")]
    header = ["#", "Next step", "Owner", "Due", "Status", "Dots"]
    rows = [
        [str(s["rank"]), s["title"], s.get("owner", "") or "Not yet agreed",
         long_date(s.get("due_date", "")) or "Not set", s["status"].replace("-", " "),
         str(s["votes"])]
        for s in steps
    ]  # fmt: skip
    items = [Item("table", rows=[header, *rows], widths=(0.5, 3.6, 1.8, 1.4, 1.2, 0.7))]
    items += [Item("number", step_detail(s), 1) for s in steps if s["description"] or s["effort"]]
    return items


def step_detail(step: dict[str, Any]) -> str:
    """A step's title, effort and impact, and its description."""
    sizes = [f"effort {step['effort']}" if step["effort"] else "",
             f"impact {step['impact']}/5" if step["impact"] else ""]  # fmt: skip
    size = ", ".join(part for part in sizes if part)
    head = f"{step['title']} ({size})" if size else step["title"]
    return f"{head}: {step['description']}" if step["description"] else head


SECTION_WRITERS = {
    "participation": _participation,
    "themes": _themes,
    "needs": _needs,
    "gaps": _gaps,
    "next_steps": _next_steps,
    "appendix": _appendix,
}

"""A round-up as a flat outline of headings, paragraphs, quotes, lists, tables and the chart:
one place decides what a document holds, and the Markdown, DOCX and PDF writers render it."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from insights.roundups.content import shown_sections
from insights.roundups.markdown import narrative_blocks
from insights.roundups.models import RoundUp

KIND_LABELS = {"held-data": "Similar data held in several boroughs", "shared-gap": "A shared gap"}


@dataclass(frozen=True)
class Item:
    """One piece of a document: kind is heading, meta, paragraph, bullet, number, quote,
    table, chart or markdown (the narrative as written)."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


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
        items += [Item(b.kind, b.text, b.level) for b in narrative_blocks(roundup.narrative_md)]
    for key, title in shown_sections(content):
        items.append(Item("heading", title, 2))
        items += SECTION_WRITERS[key](content)
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


def _listed(key: str) -> Any:
    """A writer for a section that lists post-its."""

    def write(content: dict[str, Any]) -> list[Item]:
        entries = content.get(key, [])
        if not entries:
            return [Item("paragraph", "Nothing was recorded here.")]
        return [Item("bullet", said(entry), 1) for entry in entries]

    return write


def _gaps(content: dict[str, Any]) -> list[Item]:
    """Gaps by theme, each gap, then the pooling opportunities."""
    gaps = content["gaps"]
    items = [Item("paragraph", f"{len(gaps)} needs have no dataset confirmed to serve them.")]
    if content["gaps_by_theme"]:
        rows = [[g["theme"], str(g["count"])] for g in content["gaps_by_theme"]]
        items.append(Item("table", rows=[["Theme", "Gaps"], *rows]))
    items += [Item("bullet", said(gap), 1) for gap in gaps]
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


def _next_steps(content: dict[str, Any]) -> list[Item]:
    """The ranked next steps as a table, then what each involves."""
    steps = content["next_steps"]
    if not steps:
        return [Item("paragraph", "No next steps yet.")]
    header = ["#", "Next step", "Effort", "Impact", "Dots", "Status"]
    rows = [
        [str(s["rank"]), s["title"], s["effort"], str(s["impact"] or ""), str(s["votes"]),
         s["status"]]
        for s in steps
    ]  # fmt: skip
    items = [Item("table", rows=[header, *rows])]
    items += [
        Item("number", f"{s['title']}: {s['description']}", 1) for s in steps if s["description"]
    ]
    return items


SECTION_WRITERS = {
    "participation": _participation,
    "themes": _themes,
    "needs": _needs,
    "sources": _listed("sources"),
    "challenges": _listed("challenges"),
    "collected": _listed("collected"),
    "ideas": _listed("ideas"),
    "gaps": _gaps,
    "next_steps": _next_steps,
}

"""Comparisons across workshops: theme shares side by side, the needs and gaps several groups
share and those only one raised, and change over time — grouped by workshop, by borough or
by organisation type."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop

DIMENSIONS = {"workshop": "Workshop", "borough": "Borough", "org-type": "Organisation type"}
NOT_STATED = "Not stated"


@dataclass(frozen=True)
class Fact:
    """One live post-it as the comparison sees it."""

    statement_id: int
    workshop_id: int
    kind: str
    text: str
    borough: str
    org_type: str
    themes: tuple[str, ...]
    gap: bool = False


@dataclass
class Comparison:
    """Everything the comparison page shows, for one way of grouping."""

    dimension: str
    groups: list[str]
    themes: list[tuple[str, str]]  # (slug, name), most frequent first
    shares: dict[str, dict[str, float]] = field(default_factory=dict)  # group → slug → share
    themed: dict[str, int] = field(default_factory=dict)  # group → themed post-its
    needs: dict[str, dict[str, int]] = field(default_factory=dict)  # slug → group → needs
    gaps: dict[str, dict[str, int]] = field(default_factory=dict)  # slug → group → gaps
    only_texts: dict[str, list[str]] = field(default_factory=dict)  # slug → needs of the one group


def load_facts(session: DbSession, workshops: Sequence[Workshop]) -> list[Fact]:
    """The workshops' live post-its with their borough, organisation type, themes and whether
    a need is a gap (no confirmed dataset; from the graph's analysis)."""
    from insights.graph.analyses import find_gaps
    from insights.graph.snapshot import load_graph_data

    ids = [w.id for w in workshops]
    rows = session.execute(
        sa.select(
            Statement.id,
            Statement.workshop_id,
            Statement.kind,
            Statement.text,
            Borough.name,
            Organisation.type,
        )
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .outerjoin(
            Borough,
            Borough.code == sa.func.coalesce(Statement.borough_code, Organisation.borough_code),
        )
        .where(Statement.workshop_id.in_(ids), Statement.deleted_at.is_(None))
        .where(Statement.merged_into_id.is_(None))
    ).all()
    themes = statement_themes(session, ids)
    gaps = {gap.need.id for gap in find_gaps(load_graph_data(session, ids))}
    return [
        Fact(sid, wid, kind, text, borough or NOT_STATED, org_type or NOT_STATED,
             tuple(themes.get(sid, ())), sid in gaps)
        for sid, wid, kind, text, borough, org_type in rows
    ]  # fmt: skip


def statement_themes(session: DbSession, workshop_ids: list[int]) -> dict[int, list[str]]:
    """Statement id → slugs of its themes no person rejected."""
    rows = session.execute(
        sa.select(StatementTheme.statement_id, Theme.slug)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .join(Statement, Statement.id == StatementTheme.statement_id)
        .where(Statement.workshop_id.in_(workshop_ids), StatementTheme.decision != "rejected")
        .where(Theme.merged_into_id.is_(None))
    )
    found: dict[int, list[str]] = defaultdict(list)
    for statement_id, slug in rows:
        found[statement_id].append(slug)
    return found


def group_of(fact: Fact, dimension: str, labels: dict[int, str]) -> str:
    """The group a post-it falls in: its workshop, borough or organisation type."""
    if dimension == "borough":
        return fact.borough
    if dimension == "org-type":
        return fact.org_type.replace("-", " ")
    return labels[fact.workshop_id]


def workshop_label(workshop: Workshop) -> str:
    """A workshop's column heading: its title and year."""
    return f"{workshop.title} ({workshop.date.year})" if workshop.date else workshop.title


def compare(
    session: DbSession, workshops: Sequence[Workshop], dimension: str = "workshop"
) -> Comparison:
    """Theme shares, needs and gaps per group, for the chosen way of grouping."""
    ordered = sorted(workshops, key=lambda w: (w.date is None, w.date, w.title))
    labels = unique_labels(ordered)
    facts = load_facts(session, ordered)
    names = dict(session.execute(sa.select(Theme.slug, Theme.name)).all())
    totals = Counter(slug for fact in facts for slug in fact.themes)
    themes = [(slug, names.get(slug, slug)) for slug, _ in totals.most_common()]
    groups = group_order(facts, dimension, labels, [labels[w.id] for w in ordered])
    result = Comparison(dimension, groups, themes)
    add_shares(result, facts, dimension, labels)
    add_needs_and_gaps(result, facts, dimension, labels)
    return result


def unique_labels(workshops: Sequence[Workshop]) -> dict[int, str]:
    """Workshop id → a heading no other chosen workshop shares."""
    labels: dict[int, str] = {}
    for workshop in workshops:
        label = workshop_label(workshop)
        labels[workshop.id] = (
            label if label not in labels.values() else f"{label} · {workshop.slug}"
        )
    return labels


def group_order(
    facts: list[Fact], dimension: str, labels: dict[int, str], by_date: list[str]
) -> list[str]:
    """Workshops by date; boroughs and organisation types by name, "Not stated" last."""
    if dimension == "workshop":
        return by_date
    present = {group_of(fact, dimension, labels) for fact in facts}
    return sorted(present, key=lambda g: (g == NOT_STATED, g))


def add_shares(
    result: Comparison, facts: list[Fact], dimension: str, labels: dict[int, str]
) -> None:
    """Each group's share of themed post-its carrying each theme."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    themed: Counter[str] = Counter()
    for fact in facts:
        if fact.themes:
            group = group_of(fact, dimension, labels)
            themed[group] += 1
            counts[group].update(fact.themes)
    result.themed = dict(themed)
    result.shares = {
        group: {slug: counts[group][slug] / themed[group] for slug in counts[group]}
        for group in result.groups
        if themed[group]
    }


def add_needs_and_gaps(
    result: Comparison, facts: list[Fact], dimension: str, labels: dict[int, str]
) -> None:
    """Needs and gaps per theme and group, and the words of needs only one group raised."""
    needs: dict[str, Counter[str]] = defaultdict(Counter)
    gaps: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        if fact.kind != "need":
            continue
        group = group_of(fact, dimension, labels)
        for slug in fact.themes:
            needs[slug][group] += 1
            gaps[slug][group] += fact.gap
            texts[slug].append(fact.text)
    result.needs = {slug: dict(c) for slug, c in needs.items()}
    result.gaps = {slug: {g: n for g, n in c.items() if n} for slug, c in gaps.items()}
    result.only_texts = {slug: texts[slug] for slug, c in needs.items() if len(c) == 1}


def raised_by(result: Comparison, slug: str) -> list[str]:
    """The groups that raised needs on a theme, in column order."""
    present = result.needs.get(slug, {})
    return [group for group in result.groups if present.get(group)]


def change(result: Comparison, slug: str) -> float | None:
    """Percentage points a theme's share moved from the first group to the last (workshops by
    date); None when there are fewer than two groups with themed post-its."""
    groups = [g for g in result.groups if g in result.shares]
    if len(groups) < 2:
        return None
    first, last = result.shares[groups[0]], result.shares[groups[-1]]
    return round(100 * (last.get(slug, 0.0) - first.get(slug, 0.0)), 1)

"""What a round-up says, drawn from a workshop as plain JSON-ready values: who took part, the
themes, the post-its by kind, the gaps and pooling opportunities and the ranked next steps.

A round-up keeps this snapshot, so a published version reads the same however the workshop
changes afterwards; regenerating makes a new snapshot."""

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.statements.models import NeedDetail, Statement
from insights.themes.models import StatementTheme, Theme
from insights.timeutil import utcnow
from insights.voting.models import Vote, VoteItem
from insights.workshops.models import Participant, Workshop

SCHEMA = 1
TOP_NEEDS = 10
# (key, heading) in reading order; the narrative comes first and is not a generated section.
SECTIONS = (
    ("participation", "Who took part"),
    ("themes", "Themes"),
    ("needs", "Top needs, in participants' own words"),
    ("sources", "Where people look for data"),
    ("challenges", "Challenges"),
    ("collected", "Data organisations hold"),
    ("ideas", "Ideas and opportunities"),
    ("gaps", "Gaps and pooling opportunities"),
    ("next_steps", "Prioritised next steps"),
    ("appendix", "Appendix: the post-its in full"),
)
# A document lists every post-it only in its appendix, and leaves the appendix out by default
# when there are more post-its than a director would read.
APPENDIX_LIMIT = 50
CLOSEST_DATASETS = 3
LISTED_KINDS = {"sources": "source", "challenges": "challenge", "collected": "collected"}
DISCARDED_NEEDS = ("duplicate", "not-valid")


def build_content(session: DbSession, workshop: Workshop) -> dict[str, Any]:
    """The round-up's generated sections for a workshop, as JSON-ready values."""
    statements = live_statements(session, workshop)
    themes = theme_names_by_statement(session, [s["id"] for s in statements])
    for item in statements:
        item["themes"] = themes.get(item["id"], [])
    totals = theme_totals(statements)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in statements:
        by_kind[item.pop("kind")].append(item)
    needs = kept_needs(session, by_kind["need"])
    content: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "workshop": workshop_facts(workshop),
        "participation": participation(session, workshop, len(statements)),
        "themes": totals,
        "needs": rank_needs(session, needs, totals)[:TOP_NEEDS],
        "needs_total": len(needs),
        "ideas": by_kind["idea"],
        "hidden": default_hidden(len(statements)),
    }
    for key, kind in LISTED_KINDS.items():
        content[key] = by_kind[kind]
    content.update(gaps_and_pooling(session, workshop, {t["slug"] for t in totals}))
    content["next_steps"] = ranked_next_steps(session, workshop) or next_step_postits(
        by_kind["next-step"]
    )
    return content


def default_hidden(statements: int) -> list[str]:
    """Sections hidden until the facilitator shows them: the appendix past APPENDIX_LIMIT."""
    return ["appendix"] if statements > APPENDIX_LIMIT else []


def workshop_facts(workshop: Workshop) -> dict[str, Any]:
    """The workshop's title, date, host, place and description."""
    return {
        "slug": workshop.slug,
        "title": workshop.title,
        "date": workshop.date.isoformat() if workshop.date else "",
        "host_network": workshop.host_network,
        "place": workshop.place,
        "online": workshop.online,
        "description": workshop.description,
    }


def live_statements(session: DbSession, workshop: Workshop) -> list[dict[str, Any]]:
    """Live post-its (not deleted, not merged away) with who said them, where permitted."""
    rows = session.execute(
        sa.select(
            Statement.id,
            Statement.kind,
            Statement.text,
            Statement.anonymous,
            Organisation.name.label("organisation"),
            sa.func.coalesce(Statement.borough_code, Organisation.borough_code).label("borough"),
        )
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .where(Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None))
        .where(Statement.merged_into_id.is_(None))
        .order_by(Statement.created_at, Statement.id)
    ).all()
    names = borough_names(session)
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "text": row.text,
            # An anonymous post-it names no organisation either: one person may be all of it.
            "organisation": "" if row.anonymous else (row.organisation or ""),
            "borough": "" if row.anonymous else names.get(row.borough or "", ""),
        }
        for row in rows
    ]


def borough_names(session: DbSession) -> dict[str, str]:
    """Borough names by ONS code."""
    return {code: name for code, name in session.execute(sa.select(Borough.code, Borough.name))}


def theme_names_by_statement(
    session: DbSession, ids: list[int]
) -> dict[int, list[tuple[str, str]]]:
    """Statement id → (slug, name) of its themes no person rejected, in taxonomy order."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            sa.select(StatementTheme.statement_id, Theme.slug, Theme.name)
            .join(Theme, Theme.id == StatementTheme.theme_id)
            .where(StatementTheme.statement_id.in_(ids[start : start + 1000]))
            .where(StatementTheme.decision != "rejected", Theme.merged_into_id.is_(None))
            .order_by(StatementTheme.statement_id, Theme.position, Theme.id)
        )
        for statement_id, slug, name in rows:
            found[statement_id].append((slug, name))
    return found


def theme_totals(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Themes by the number of post-its carrying them, with their share of the themed post-its;
    each statement's themes become plain names."""
    counts: Counter[tuple[str, str]] = Counter()
    themed = 0
    for item in statements:
        counts.update(item["themes"])
        themed += bool(item["themes"])
        item["themes"] = [name for _, name in item["themes"]]
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0][1]))
    return [
        {
            "slug": slug,
            "name": name,
            "count": count,
            "share": round(count / themed, 4) if themed else 0.0,
        }
        for (slug, name), count in ordered
    ]


def participation(session: DbSession, workshop: Workshop, statements: int) -> dict[str, Any]:
    """Who took part: organisations and boroughs, and the names of those who consented."""
    people = session.scalars(
        sa.select(Participant).where(Participant.workshop_id == workshop.id)
    ).all()
    names = borough_names(session)
    organisations: dict[str, dict[str, str]] = {}
    boroughs: Counter[str] = Counter()
    for person in people:
        org = person.organisation
        code = person.borough_code or (org.borough_code if org else None)
        if code:
            boroughs[names.get(code, code)] += 1
        if org is not None:
            organisations[org.name] = {
                "name": org.name,
                "type": org.type,
                "borough": names.get(org.borough_code or "", ""),
            }
    types = Counter(org["type"] for org in organisations.values())
    return {
        "participants": len(people),
        "statements": statements,
        "organisations": sorted(organisations.values(), key=lambda org: org["name"]),
        "boroughs": [{"name": n, "count": c} for n, c in sorted(boroughs.items())],
        "organisation_types": [{"type": t, "count": c} for t, c in types.most_common()],
        "named": sorted(p.name for p in people if p.named_with_consent and p.name.strip()),
    }


def kept_needs(session: DbSession, needs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Needs not marked duplicate or not valid, with their structured form."""
    details = {
        d.statement_id: d
        for d in session.scalars(
            sa.select(NeedDetail).where(NeedDetail.statement_id.in_([n["id"] for n in needs]))
        )
    }
    kept = []
    for need in needs:
        detail = details.get(need["id"])
        if detail is not None and detail.status in DISCARDED_NEEDS:
            continue
        for field in ("role", "goal", "benefit", "met_when"):
            need[field] = getattr(detail, field, "") if detail else ""
        kept.append(need)
    return kept


def vote_counts(session: DbSession, column: Any, ids: list[int]) -> Counter[int]:
    """Dots placed on each next step or need (column: VoteItem.next_step_id or .statement_id)."""
    if not ids:
        return Counter()
    rows = session.execute(
        sa.select(column, sa.func.count(Vote.id))
        .join(Vote, Vote.item_id == VoteItem.id)
        .where(column.in_(ids))
        .group_by(column)
    )
    return Counter({key: count for key, count in rows})


def rank_needs(
    session: DbSession, needs: list[dict[str, Any]], totals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Needs by dots received, then by how much was said about their themes."""
    weight = {t["name"]: t["count"] for t in totals}
    votes = vote_counts(session, VoteItem.statement_id, [n["id"] for n in needs])
    for need in needs:
        need["votes"] = votes[need["id"]]
    return sorted(
        needs, key=lambda n: (-n["votes"], -sum(weight.get(t, 0) for t in n["themes"]), n["id"])
    )


def gaps_and_pooling(session: DbSession, workshop: Workshop, slugs: set[str]) -> dict[str, Any]:
    """Needs no confirmed dataset serves, by theme, and the pooling opportunities on the
    workshop's themes (from the graph's analyses)."""
    from insights.graph.analyses import find_gaps, group_by_theme
    from insights.graph.snapshot import load_graph_data

    data = load_graph_data(session, [workshop.id])
    gaps = find_gaps(data)
    name: Callable[[str], str] = lambda slug: data.themes.get(slug, slug) or "No theme yet"  # noqa: E731
    return {
        "gaps": [
            {
                "id": gap.need.id,
                "text": gap.need.text,
                "organisation": gap.organisation,
                "borough": gap.borough,
                "themes": [name(s) for s in gap.themes],
                "closest": closest_datasets(data, gap.suggested),
            }
            for gap in gaps
        ],
        "gaps_by_theme": [
            {"theme": name(slug), "count": len(items)}
            for slug, items in group_by_theme(gaps).items()
        ],
        "pooling": pooling(data, gaps, slugs, workshop, name),
    }


def closest_datasets(data: Any, suggested: tuple[int, ...]) -> list[dict[str, str]]:
    """The best suggested datasets for a gap, with what they offer (none is confirmed to
    serve the need: that is what makes it a gap)."""
    facts = {d.id: d for d in data.datasets}
    closest = []
    for dataset_id in suggested[:CLOSEST_DATASETS]:
        fact = facts.get(dataset_id)
        if fact is not None:
            detail = ", ".join(p for p in (fact.granularity, fact.access) if p)
            closest.append({"title": fact.title, "detail": detail})
    return closest


def pooling(
    data: Any, gaps: list[Any], slugs: set[str], workshop: Workshop, name: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Pooling opportunities on the workshop's themes that span two or more boroughs."""
    from insights.graph.analyses import pooling_opportunities

    found = []
    for p in pooling_opportunities(data, gaps):
        # Where no borough is known the graph names the workshop: not a place here.
        boroughs = [b for b in p.boroughs if b != workshop.title]
        if p.theme in slugs and len(boroughs) >= 2:
            found.append(
                {
                    "kind": p.kind,
                    "theme": name(p.theme),
                    "boroughs": boroughs,
                    "items": list(p.items),
                }
            )
    return found


def ranked_next_steps(session: DbSession, workshop: Workshop) -> list[dict[str, Any]]:
    """The workshop's next steps in the next-steps ranking (score from votes, needs, gaps,
    reach, impact and effort), best first."""
    from insights.nextsteps.factors import ranked_steps

    return [
        {
            "id": row.step.id,
            "rank": row.rank,
            "title": row.step.title,
            "description": row.step.description,
            "status": row.step.status,
            "owner": row.step.owner_name,
            "due_date": row.step.due_date.isoformat() if row.step.due_date else "",
            "effort": row.step.effort or "",
            "impact": row.step.impact,
            "votes": row.factors.votes,
            "score": round(row.score.total, 1),
            "quick_win": row.quick_win,
        }
        for row in ranked_steps(session, workshop)
    ]


def next_step_postits(postits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Next-step post-its, when the workshop has no next steps of its own yet."""
    return [
        {
            "id": None,
            "rank": position,
            "title": item["text"],
            "description": "",
            "status": "suggested on a post-it",
            "owner": "",
            "due_date": "",
            "effort": "",
            "impact": None,
            "votes": 0,
            "score": None,
            "quick_win": False,
        }
        for position, item in enumerate(postits, start=1)
    ]


def section_title(key: str) -> str:
    """The heading of a generated section."""
    return dict(SECTIONS)[key]


def shown_sections(content: dict[str, Any]) -> list[tuple[str, str]]:
    """The sections the facilitator has not hidden, in reading order."""
    hidden = set(content.get("hidden", []))
    return [(key, title) for key, title in SECTIONS if key not in hidden]

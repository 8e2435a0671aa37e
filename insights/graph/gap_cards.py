"""A card for each gap, listed once: its themes, who raised it and where (the need and the
duplicates merged into it), and the closest datasets with why each falls short."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import DbSession
from insights.graph.analyses import Gap
from insights.graph.snapshot import GraphData
from insights.organisations.models import Borough, Organisation
from insights.statements.models import Statement

CLOSEST = 3
ACCESS_SHORTFALLS = {
    "restricted": "Access is restricted: it has to be applied for.",
    "held-privately": "Held privately by its holder, not published.",
}
UNCONFIRMED = "Suggested by the matcher; nobody has confirmed that it serves the need."


@dataclass(frozen=True)
class Closest:
    """A dataset near a gap, and why it does not (yet) fill it."""

    dataset_id: int
    title: str
    publisher: str
    score: float
    shortfalls: tuple[str, ...]


@dataclass
class GapCard:
    """One gap as the gaps page shows it."""

    gap: Gap
    workshop_id: int
    themes: list[tuple[str, str]]
    raised_by: list[str] = field(default_factory=list)
    boroughs: list[str] = field(default_factory=list)
    closest: list[Closest] = field(default_factory=list)


def gap_cards(session: DbSession, gaps: Sequence[Gap], data: GraphData) -> list[GapCard]:
    """Every gap once, in the order given, with its evidence and closest datasets."""
    ids = [gap.need.id for gap in gaps]
    people, places = _who_and_where(session, ids)
    closest = _closest(session, ids)
    return [
        GapCard(
            gap=gap,
            workshop_id=gap.need.workshop_id,
            themes=[(slug, data.themes.get(slug, slug)) for slug in gap.themes],
            raised_by=people.get(gap.need.id, []),
            boroughs=places.get(gap.need.id, []),
            closest=closest.get(gap.need.id, []),
        )
        for gap in gaps
    ]


def _who_and_where(
    session: DbSession, need_ids: list[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Who raised each need (named with consent, or their organisation) and their boroughs,
    counting the duplicates merged into it."""
    if not need_ids:
        return {}, {}
    owner = sa.func.coalesce(Statement.merged_into_id, Statement.id)
    home = sa.orm.aliased(Borough)
    rows = session.execute(
        sa.select(owner, Statement.author_name, Organisation.name, Borough.name, home.name)
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .outerjoin(Borough, Borough.code == Statement.borough_code)
        .outerjoin(home, home.code == Organisation.borough_code)
        .where(sa.or_(Statement.id.in_(need_ids), Statement.merged_into_id.in_(need_ids)))
        .where(Statement.deleted_at.is_(None))
        .order_by(Statement.id)
    )
    people: dict[int, list[str]] = defaultdict(list)
    places: dict[int, list[str]] = defaultdict(list)
    for need_id, author, organisation, borough, organisation_borough in rows:
        who = ", ".join(p for p in (author, organisation) if p) or "A participant"
        if who not in people[need_id]:
            people[need_id].append(who)
        place = borough or organisation_borough
        if place and place not in places[need_id]:
            places[need_id].append(place)
    return people, places


def _closest(session: DbSession, need_ids: list[int]) -> dict[int, list[Closest]]:
    """The best suggested datasets of each need, with their shortfalls."""
    if not need_ids:
        return {}
    rows = session.execute(
        sa.select(NeedDatasetLink, Dataset)
        .join(Dataset, Dataset.id == NeedDatasetLink.dataset_id)
        .where(NeedDatasetLink.statement_id.in_(need_ids))
        .where(NeedDatasetLink.status == "suggested", Dataset.deleted_at.is_(None))
        .order_by(NeedDatasetLink.score.desc(), Dataset.title)
    )
    found: dict[int, list[Closest]] = defaultdict(list)
    for link, dataset in rows:
        if len(found[link.statement_id]) < CLOSEST:
            short = shortfalls(link, dataset)
            found[link.statement_id].append(
                Closest(dataset.id, dataset.title, dataset.publisher, link.score, short)
            )
    return found


def shortfalls(link: NeedDatasetLink, dataset: Dataset) -> tuple[str, ...]:
    """Why a suggested dataset falls short: the matcher's own caveats, access, or simply that
    no person has confirmed it."""
    caveats = [r for r in link.reasons or [] if " but " in r or " only " in r]
    if dataset.access in ACCESS_SHORTFALLS:
        caveats.append(ACCESS_SHORTFALLS[dataset.access])
    return tuple(caveats) or (UNCONFIRMED,)

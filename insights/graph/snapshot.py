"""The needs-to-datasets graph's facts as plain values, read from the database in a few queries."""

from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.datasets.models import Dataset, NeedDatasetLink, dataset_themes
from insights.extensions import DbSession
from insights.nextsteps.models import (
    NextStep,
    next_step_datasets,
    next_step_statements,
    next_step_themes,
)
from insights.organisations.models import Borough, Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop


@dataclass(frozen=True)
class Need:
    """A need as the graph holds it."""

    id: int
    text: str
    workshop_id: int
    organisation_id: int | None = None
    borough_code: str | None = None


@dataclass(frozen=True)
class DatasetFact:
    """A dataset as the graph holds it."""

    id: int
    title: str
    granularity: str = ""
    access: str = "open"
    holder_id: int | None = None


@dataclass(frozen=True)
class Link:
    """A need's link to a dataset (confirmed or suggested; rejected links stay out)."""

    need_id: int
    dataset_id: int
    status: str
    coverage: str | None = None
    score: float = 0.0
    strength: str | None = None  # of a suggestion: strong, possible or weak


@dataclass
class GraphData:
    """Everything the graph and its analyses read."""

    needs: list[Need] = field(default_factory=list)
    datasets: list[DatasetFact] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    themes: dict[str, str] = field(default_factory=dict)
    need_themes: list[tuple[int, str]] = field(default_factory=list)
    dataset_themes: list[tuple[int, str]] = field(default_factory=list)
    organisations: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    boroughs: dict[str, str] = field(default_factory=dict)
    workshops: dict[int, str] = field(default_factory=dict)
    next_steps: dict[int, str] = field(default_factory=dict)
    step_edges: list[tuple[int, str, str]] = field(default_factory=list)


def load_graph_data(session: DbSession, workshop_ids: Collection[int] | None = None) -> GraphData:
    """Read the graph's facts, limited to needs of the given workshops (None: all of them)."""
    data = GraphData()
    data.workshops = _workshops(session, workshop_ids)
    data.needs = _needs(session, list(data.workshops))
    need_ids = [n.id for n in data.needs]
    data.themes = {k: v for k, v in session.execute(sa.select(Theme.slug, Theme.name))}
    data.need_themes = _need_themes(session, need_ids)
    data.datasets = _datasets(session, workshop_ids)
    data.dataset_themes = [
        (dataset_id, slug)
        for dataset_id, slug in session.execute(
            sa.select(dataset_themes.c.dataset_id, Theme.slug).join(
                Theme, Theme.id == dataset_themes.c.theme_id
            )
        )
    ]
    data.links = _links(session, need_ids)
    data.boroughs = {k: v for k, v in session.execute(sa.select(Borough.code, Borough.name))}
    data.organisations = _organisations(session, data)
    _next_steps(session, data)
    return data


def _workshops(session: DbSession, workshop_ids: Collection[int] | None) -> dict[int, str]:
    """Workshop titles by id, limited when ids are given."""
    query = sa.select(Workshop.id, Workshop.title)
    if workshop_ids is not None:
        query = query.where(Workshop.id.in_(list(workshop_ids)))
    return {k: v for k, v in session.execute(query)}


def _needs(session: DbSession, workshop_ids: list[int]) -> list[Need]:
    """Live needs (not deleted, not merged away) of the workshops."""
    rows = session.execute(
        sa.select(
            Statement.id,
            Statement.text,
            Statement.workshop_id,
            Statement.organisation_id,
            Statement.borough_code,
        )
        .where(Statement.kind == "need", Statement.workshop_id.in_(workshop_ids))
        .where(Statement.live())
        .order_by(Statement.id)
    )
    return [Need(*row) for row in rows]


def _need_themes(session: DbSession, need_ids: list[int]) -> list[tuple[int, str]]:
    """(need, theme slug) for themes not rejected by a person."""
    rows = session.execute(
        sa.select(StatementTheme.statement_id, Theme.slug)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .where(StatementTheme.decision != "rejected")
    )
    wanted = set(need_ids)
    return [(need_id, slug) for need_id, slug in rows if need_id in wanted]


def _datasets(session: DbSession, workshop_ids: Collection[int] | None) -> list[DatasetFact]:
    """Datasets not deleted: published ones, and those made in the given workshops."""
    query = (
        sa.select(
            Dataset.id,
            Dataset.title,
            Dataset.granularity,
            Dataset.access,
            Dataset.holder_organisation_id,
        )
        .where(Dataset.deleted_at.is_(None))
        .order_by(Dataset.id)
    )
    if workshop_ids is not None:
        shown = sa.or_(Dataset.published.is_(True), Dataset.workshop_id.in_(list(workshop_ids)))
        query = query.where(shown)
    return [DatasetFact(*row) for row in session.execute(query)]


def _organisations(session: DbSession, data: GraphData) -> dict[int, tuple[str, str | None]]:
    """Only the organisations the graph's needs and datasets name: never the whole list."""
    named = {n.organisation_id for n in data.needs} | {d.holder_id for d in data.datasets}
    wanted = sorted(i for i in named if i is not None)
    rows = session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.borough_code).where(
            Organisation.id.in_(wanted)
        )
    )
    return {org_id: (name, borough) for org_id, name, borough in rows}


def _links(session: DbSession, need_ids: list[int]) -> list[Link]:
    """Confirmed and suggested links of the needs."""
    rows = session.execute(
        sa.select(
            NeedDatasetLink.statement_id,
            NeedDatasetLink.dataset_id,
            NeedDatasetLink.status,
            NeedDatasetLink.coverage,
            NeedDatasetLink.score,
            NeedDatasetLink.strength,
        ).where(NeedDatasetLink.status != "rejected")
    )
    wanted = set(need_ids)
    return [Link(*row) for row in rows if row[0] in wanted]


def _next_steps(session: DbSession, data: GraphData) -> None:
    """Next steps of the workshops and what each addresses (needs, themes, datasets)."""
    steps = session.execute(
        sa.select(NextStep.id, NextStep.title)
        .where(NextStep.deleted_at.is_(None))
        .where(
            sa.or_(NextStep.workshop_id.in_(list(data.workshops)), NextStep.workshop_id.is_(None))
        )
    )
    data.next_steps = {k: v for k, v in steps}
    for table, column, kind in (
        (next_step_statements, "statement_id", "need"),
        (next_step_themes, "theme_id", "theme"),
        (next_step_datasets, "dataset_id", "dataset"),
    ):
        for step_id, target in session.execute(sa.select(table.c.next_step_id, table.c[column])):
            if step_id in data.next_steps:
                data.step_edges.append((step_id, kind, str(target)))
    theme_slugs = {k: v for k, v in session.execute(sa.select(Theme.id, Theme.slug))}
    data.step_edges = [
        (s, k, theme_slugs.get(int(t), t) if k == "theme" else t) for s, k, t in data.step_edges
    ]

"""Suggest datasets for needs from the catalogue, and turn post-its into catalogue entries."""

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import selectinload

from insights.audit.services import record
from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink, dataset_themes
from insights.datasets.scoring import DatasetProfile, NeedProfile, Suggestion, SuggestionScorer
from insights.datasets.services import (
    DatasetError,
    link_for,
    load_starter_catalogue,
    record_link,
)
from insights.extensions import DbSession
from insights.jobs import active_job, enqueue
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from nlp import embeddings

SUGGESTIONS_PER_NEED = 5
DATASET_KINDS = ("source", "collected")
# Kinds whose post-its get stored suggestions: every need, and challenges, sources and
# collected data that name a data need ("there is no complete dataset of council grants").
SUGGESTED_KINDS = ("need", "challenge", *DATASET_KINDS)
DATA_WORDS = re.compile(
    r"\b(data|dataset|datasets|database|statistics|stats|figures|register|registers|records|"
    r"survey|surveys|census|indicators?|index|numbers|evidence|information|grants? data)\b",
    re.IGNORECASE,
)
# Above this many post-its, a catalogue change refreshes suggestions in the background.
SYNC_REFRESH_LIMIT = 500


@dataclass(frozen=True)
class RankedDataset:
    """A suggestion with its dataset loaded, for pages."""

    dataset: Dataset
    suggestion: Suggestion


def dataset_profiles(session: DbSession) -> list[DatasetProfile]:
    """Every dataset in the catalogue (not deleted), as the scorer reads it."""
    datasets = session.scalars(
        sa.select(Dataset)
        .where(Dataset.deleted_at.is_(None))
        .options(selectinload(Dataset.themes))
        .order_by(Dataset.id)
    )
    return [
        DatasetProfile(
            id=d.id,
            title=d.title,
            publisher=d.publisher or "",
            description=d.description or "",
            keywords=tuple(d.keywords or ()),
            themes=frozenset(t.slug for t in d.themes),
            granularity=d.granularity or "",
            spatial_coverage=d.spatial_coverage or "",
        )
        for d in datasets
    ]


def catalogue_scorer(session: DbSession) -> SuggestionScorer:
    """A scorer over the whole catalogue, naming themes as the taxonomy does; built once per
    process for each state of the catalogue, so saving a post-it does not rebuild the index."""
    key = catalogue_fingerprint(session)
    with _scorer_lock:
        scorer = _scorers.get(key)
        if scorer is None:
            names = {k: v for k, v in session.execute(sa.select(Theme.slug, Theme.name))}
            scorer = SuggestionScorer(
                dataset_profiles(session), theme_names=names, encoder=stored_encoder()
            )
            _scorers.clear()  # only the catalogue as it is now is worth keeping
            _scorers[key] = scorer
        return scorer


_scorers: dict[tuple[object, ...], SuggestionScorer] = {}
_scorer_lock = threading.Lock()


def stored_encoder() -> "partial[np.ndarray]":
    """Sentence embeddings whose vectors are kept in the instance folder, so a new web or job
    process reads the catalogue's vectors instead of encoding every dataset again."""
    folder = Path(current_app.instance_path) / "embeddings" if has_app_context() else None
    return partial(embeddings.encode, cache_dir=folder)


def catalogue_fingerprint(session: DbSession) -> tuple[object, ...]:
    """Changes whenever a live dataset or a theme is added, edited or deleted."""
    datasets = session.execute(
        sa.select(
            sa.func.count(Dataset.id),
            sa.func.sum(Dataset.id),
            sa.func.sum(Dataset.version),
            sa.func.max(Dataset.updated_at),
        ).where(Dataset.deleted_at.is_(None))
    ).one()
    themes = session.execute(
        sa.select(sa.func.count(Theme.id), sa.func.max(Theme.updated_at))
    ).one()
    pair = dataset_themes.c.dataset_id * 7 + dataset_themes.c.theme_id
    tagged = session.execute(sa.select(sa.func.count(), sa.func.sum(pair))).one()
    return (str(session.get_bind().engine.url), *datasets, *themes, *tagged)


def need_themes(session: DbSession, statement_ids: Sequence[int]) -> dict[int, set[str]]:
    """The themes on each statement that a person has not rejected."""
    rows = session.execute(
        sa.select(StatementTheme.statement_id, Theme.slug)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .where(StatementTheme.statement_id.in_(statement_ids))
        .where(StatementTheme.decision != "rejected")
    )
    themes: dict[int, set[str]] = {}
    for statement_id, slug in rows:
        themes.setdefault(statement_id, set()).add(slug)
    return themes


def need_profile(statement: Statement, themes: set[str]) -> NeedProfile:
    """A statement as the scorer reads it: text (and drafted goal), themes, named datasets."""
    text = statement.text
    if statement.need is not None and statement.need.goal and statement.need.goal not in text:
        text = f"{text}. {statement.need.goal}"
    named = {
        str(m.get("key") or m.get("text"))
        for m in statement.mentions or []
        if isinstance(m, dict) and m.get("label") == "DATASET"
    }
    return NeedProfile(statement.id, text, frozenset(themes), frozenset(named))


def decided_datasets(session: DbSession, statement_ids: Sequence[int]) -> dict[int, set[int]]:
    """For each statement, the datasets a person already confirmed or rejected."""
    rows = session.execute(
        sa.select(NeedDatasetLink.statement_id, NeedDatasetLink.dataset_id).where(
            NeedDatasetLink.statement_id.in_(statement_ids),
            NeedDatasetLink.status != "suggested",
        )
    )
    decided: dict[int, set[int]] = {}
    for statement_id, dataset_id in rows:
        decided.setdefault(statement_id, set()).add(dataset_id)
    return decided


def private_elsewhere(session: DbSession, workshop_id: int) -> set[int]:
    """Datasets made in other workshops and not published: never suggested here."""
    return set(
        session.scalars(
            sa.select(Dataset.id).where(
                Dataset.published.is_(False),
                sa.or_(Dataset.workshop_id.is_(None), Dataset.workshop_id != workshop_id),
            )
        )
    )


def suggest_for_statement(
    session: DbSession,
    statement: Statement,
    *,
    scorer: SuggestionScorer | None = None,
    limit: int = SUGGESTIONS_PER_NEED,
) -> list[RankedDataset]:
    """Ranked datasets for one statement, leaving out those already confirmed or rejected."""
    scorer = scorer or catalogue_scorer(session)
    themes = need_themes(session, [statement.id]).get(statement.id, set())
    exclude = decided_datasets(session, [statement.id]).get(statement.id, set())
    exclude |= private_elsewhere(session, statement.workshop_id)
    ranked = scorer.rank(need_profile(statement, themes), limit=limit, exclude=exclude)
    datasets = {
        d.id: d
        for d in session.scalars(
            sa.select(Dataset).where(Dataset.id.in_([s.dataset_id for s in ranked]))
        )
    }
    return [RankedDataset(datasets[s.dataset_id], s) for s in ranked]


def names_data_need(statement: Statement) -> bool:
    """Whether a post-it asks for data: every need, and a challenge, source or collected
    post-it whose words are about data."""
    if statement.kind == "need":
        return True
    return statement.kind in SUGGESTED_KINDS and bool(DATA_WORDS.search(statement.text))


def refresh_suggestions(session: DbSession, statements: Sequence[Statement]) -> int:
    """Recompute the stored suggestions of many post-its that name a data need, in one pass;
    people's decisions are kept. Returns how many suggestions were stored."""
    statements = [s for s in statements if names_data_need(s)]
    ids = [s.id for s in statements]
    if not ids:
        return 0
    scorer = catalogue_scorer(session)
    themes = need_themes(session, ids)
    decided = decided_datasets(session, ids)
    session.execute(
        sa.delete(NeedDatasetLink).where(
            NeedDatasetLink.statement_id.in_(ids), NeedDatasetLink.status == "suggested"
        )
    )
    rows = []
    hidden = {w: private_elsewhere(session, w) for w in {s.workshop_id for s in statements}}
    profiles = scorer.prepare([need_profile(s, themes.get(s.id, set())) for s in statements])
    for statement, profile in zip(statements, profiles, strict=True):
        exclude = set(decided.get(statement.id, ())) | hidden[statement.workshop_id]
        for s in scorer.rank(profile, limit=SUGGESTIONS_PER_NEED, exclude=exclude):
            rows.append(_suggested_row(statement.id, s))
    if rows:
        session.execute(sa.insert(NeedDatasetLink), rows)
    return len(rows)


def _suggested_row(statement_id: int, suggestion: Suggestion) -> dict[str, object]:
    """One suggested link as an insert row."""
    return {
        "statement_id": statement_id,
        "dataset_id": suggestion.dataset_id,
        "status": "suggested",
        "score": suggestion.score,
        "strength": suggestion.strength,
        "reasons": list(suggestion.reasons),
        "created_at": utcnow(),
    }


def live_suggested_statements(
    session: DbSession, workshop: Workshop | None = None
) -> list[Statement]:
    """Live post-its (not deleted, not merged) of the kinds that get suggestions, of one
    workshop or of all."""
    query = (
        sa.select(Statement)
        .where(Statement.kind.in_(SUGGESTED_KINDS))
        .where(Statement.live())
        .options(selectinload(Statement.need))
        .order_by(Statement.id)
    )
    if workshop is not None:
        query = query.where(Statement.workshop_id == workshop.id)
    return list(session.scalars(query))


def refresh_workshop_suggestions(session: DbSession, workshop: Workshop) -> int:
    """Suggestions for every post-it of a workshop that names a data need, in one pass."""
    return refresh_suggestions(session, live_suggested_statements(session, workshop))


def refresh_all_suggestions(session: DbSession) -> int:
    """Suggestions for every live post-it that names a data need, against the catalogue now."""
    return refresh_suggestions(session, live_suggested_statements(session))


def after_catalogue_change(session: DbSession) -> str:
    """Bring every stored suggestion up to date with a changed catalogue: at once for a
    few hundred post-its, else as one background "suggestions" job (insights/datasets/jobs.py).
    Returns "done" or "queued"."""
    count = session.scalar(
        sa.select(sa.func.count(Statement.id)).where(
            Statement.kind.in_(SUGGESTED_KINDS), Statement.deleted_at.is_(None)
        )
    )
    if (count or 0) > SYNC_REFRESH_LIMIT:
        if active_job(session, "suggestions", None) is None:
            enqueue(session, "suggestions", {}, title="Suggest datasets after a catalogue change")
        return "queued"
    refresh_all_suggestions(session)
    return "done"


def dataset_from_statement(session: DbSession, statement: Statement, user: User | None) -> Dataset:
    """A new catalogue entry from a "where you look" or "what you collect" post-it."""
    if statement.kind not in DATASET_KINDS:
        raise DatasetError("Only 'where you look' and 'what you collect' post-its become datasets.")
    organisation = statement.organisation
    collected = statement.kind == "collected"
    dataset = Dataset(
        title=title_from_text(statement.text),
        description=statement.text,
        publisher=organisation.name if organisation and collected else "",
        holder_organisation_id=organisation.id if organisation and collected else None,
        spatial_coverage=_borough_name(statement) if collected else "",
        access="held-privately" if collected else "open",
        source="statement",
        source_statement_id=statement.id,
        # The post-it's words stay in its workshop until a facilitator publishes them.
        workshop_id=statement.workshop_id,
        published=False,
        keywords=[],
        extra={"workshop_id": statement.workshop_id},
    )
    session.add(dataset)
    session.flush()
    link_statement_to_dataset(session, statement, dataset, user, audit=False)
    record(
        session,
        "dataset.create",
        "dataset",
        dataset.id,
        user_id=user.id if user else None,
        workshop_id=statement.workshop_id,
        after={"title": dataset.title, "from_statement": statement.id, "published": False},
    )
    return dataset


def publish_dataset(session: DbSession, dataset: Dataset, user: User, published: bool) -> None:
    """Share a dataset made from a post-it with the whole catalogue, or take it back."""
    if dataset.workshop_id is None or dataset.published == published:
        return
    dataset.published = published
    record(
        session,
        "dataset.publish" if published else "dataset.unpublish",
        "dataset",
        dataset.id,
        user_id=user.id,
        workshop_id=dataset.workshop_id,
        before={"published": not published},
        after={"published": published},
    )


def _borough_name(statement: Statement) -> str:
    """The borough of the post-it's organisation (or of the post-it)."""
    organisation = statement.organisation
    borough = (organisation.borough if organisation else None) or statement.borough
    return borough.name if borough else ""


def title_from_text(text: str, limit: int = 120) -> str:
    """A working title from a post-it: its first sentence or clause, cut at a word."""
    first = text.strip().split(". ")[0].split(" - ")[0].split(", ")[0].rstrip(".")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def link_statement_to_dataset(
    session: DbSession,
    statement: Statement,
    dataset: Dataset,
    user: User | None,
    *,
    audit: bool = True,
) -> NeedDatasetLink:
    """Record that a post-it names or describes a dataset (a confirmed link)."""
    if statement.kind not in (*DATASET_KINDS, "need"):
        raise DatasetError("Only needs, sources and collected data link to datasets.")
    if not dataset.published and dataset.workshop_id != statement.workshop_id:
        raise DatasetError("That dataset belongs to another workshop and is not published.")
    link = link_for(session, statement.id, dataset.id)
    if link is None:
        link = NeedDatasetLink(statement_id=statement.id, dataset_id=dataset.id)
        session.add(link)
    if audit:
        record_link(session, "link.decide", link, user, status="confirmed", coverage="serves")
    link.status = "confirmed"
    link.coverage = "serves"
    link.reasons = [f"Named on a '{statement.kind}' post-it."]
    link.decided_by_id = user.id if user else None
    link.decided_at = utcnow()
    session.flush()
    return link


def load_demo_catalogue(session: DbSession, workshop: Workshop) -> None:
    """For the demo: the starter catalogue, and suggestions for the demo workshop's needs."""
    load_starter_catalogue(session)
    session.flush()
    refresh_workshop_suggestions(session, workshop)

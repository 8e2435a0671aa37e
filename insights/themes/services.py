"""Theme tagging of statements: the taxonomy from the database, the NLP's suggestions stored as
tags, and people's decisions, which a re-tag never overwrites."""

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from spacy.language import Language
from sqlalchemy.orm.attributes import set_committed_value

from insights.datasets.models import Dataset
from insights.datasets.suggestions import refresh_suggestions
from insights.extensions import DbSession
from insights.organisations.models import Borough
from insights.statements.models import NeedDetail, Statement
from insights.themes.models import StatementTheme, Theme
from nlp import Annotation, Gazetteer, Taxonomy, annotate, load_pipeline, starter_patterns

PERSON_DECISIONS = ("accepted", "rejected")


def live_themes(session: DbSession) -> list[Theme]:
    """The taxonomy's themes in display order, without those merged into others."""
    return list(
        session.scalars(sa.select(Theme).where(Theme.live()).order_by(Theme.position, Theme.id))
    )


def current_taxonomy(session: DbSession) -> Taxonomy:
    """The taxonomy as the NLP sees it; themes with no stored patterns use the starter ones."""
    themes = live_themes(session)
    slugs = {theme.id: theme.slug for theme in themes}
    records = []
    for theme in themes:
        record: dict[str, Any] = {
            "slug": theme.slug,
            "name": theme.name,
            "description": theme.description,
            "parent": slugs.get(theme.parent_id) if theme.parent_id else None,
        }
        if theme.patterns:
            record["patterns"] = theme.patterns
        records.append(record)
    return _taxonomy_from(json.dumps(records, sort_keys=True))


@lru_cache(maxsize=8)
def _taxonomy_from(records_json: str) -> Taxonomy:
    """Build (once per content) the taxonomy: building and hashing it costs milliseconds."""
    return Taxonomy.from_records(json.loads(records_json), default_patterns=starter_patterns())


def current_gazetteer(session: DbSession) -> Gazetteer:
    """Borough names and the shared catalogue's dataset titles, for recognising mentions
    (a dataset private to one workshop is never named in another's post-its)."""
    boroughs = session.execute(sa.select(Borough.code, Borough.name).order_by(Borough.code))
    titles = session.scalars(
        sa.select(Dataset.title)
        .where(Dataset.deleted_at.is_(None), Dataset.published.is_(True))
        .order_by(Dataset.id)
    )
    return _gazetteer_from(
        tuple((code, name) for code, name in boroughs), tuple(dict.fromkeys(titles))
    )


@lru_cache(maxsize=8)
def _gazetteer_from(boroughs: tuple[tuple[str, str], ...], titles: tuple[str, ...]) -> Gazetteer:
    """Build (once per content) the gazetteer."""
    return Gazetteer.from_values(boroughs=list(boroughs), datasets=list(titles))


def model_name() -> str | None:
    """The configured spaCy model package, inside the app; the NLP's default elsewhere."""
    return current_app.config.get("SPACY_MODEL") if has_app_context() else None


def pipeline_for(taxonomy: Taxonomy, gazetteer: Gazetteer) -> Language:
    """The process-wide pipeline for this taxonomy and gazetteer (loaded on first use)."""
    return load_pipeline(taxonomy, gazetteer=gazetteer, model_name=model_name())


def nlp_key(text: str, taxonomy: Taxonomy, gazetteer: Gazetteer, extra: str = "") -> str:
    """What a statement's tags depend on: an unchanged key means nothing to redo.

    ``extra`` names anything else the tags depend on (the trained classifier in use)."""
    parts = (text, taxonomy.version, gazetteer.version) + ((extra,) if extra else ())
    material = "\x1f".join(parts)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


def tag_statements(
    session: DbSession,
    statements: Sequence[Statement],
    *,
    batch_size: int = 256,
    force: bool = False,
    processes: int = 1,
    annotated: Mapping[int, Annotation] | None = None,
) -> int:
    """Suggest themes, mentions, need drafts and datasets for the statements whose text or
    taxonomy changed since they were last tagged; returns how many were processed. `annotated` holds
    annotations already computed for (some of) them, by statement id."""
    from insights.themes.classifier import active_classifier, combine_with_classifier

    taxonomy, gazetteer = current_taxonomy(session), current_gazetteer(session)
    classifier = active_classifier(session)
    extra = classifier.key if classifier else ""
    keys = {s.id: nlp_key(s.text, taxonomy, gazetteer, extra) for s in statements}
    todo = [s for s in statements if force or s.nlp_key != keys[s.id]]
    if not todo:
        return 0
    themes = {theme.slug: theme for theme in live_themes(session)}
    if annotated is not None and all(s.id in annotated for s in todo):
        annotations = [annotated[s.id] for s in todo]
    else:
        annotations = annotate(
            [s.text for s in todo],
            pipeline_for(taxonomy, gazetteer),
            batch_size=batch_size,
            n_process=processes,
        )
    sources: list[dict[str, str]] = [{} for _ in todo]
    if classifier:
        annotations, sources = combine_with_classifier(
            classifier, [s.text for s in todo], annotations
        )
    existing = tags_by_statement(session, [s.id for s in todo])
    new_tags: list[dict[str, Any]] = []
    for statement, annotation, source in zip(todo, annotations, sources, strict=True):
        new_tags += apply_annotation(
            session, statement, annotation, themes, existing.get(statement.id, []), source
        )
    session.flush()
    store_results(session, todo, annotations, keys, new_tags)
    refresh_suggestions(session, todo)  # suggestions read the text and themes just stored
    return len(todo)


def store_results(
    session: DbSession,
    statements: list[Statement],
    annotations: list[Annotation],
    keys: dict[int, str],
    new_tags: list[dict[str, Any]],
) -> None:
    """Write new tags, mentions and tagging keys in a few bulk statements.

    Tagging is not an edit: it must not bump a statement's version (that would make a
    facilitator's open edit form look stale), so these columns are written with Core and
    set on the loaded objects as already saved."""
    if new_tags:
        session.execute(sa.insert(StatementTheme.__table__), new_tags)
    rows = []
    for statement, annotation in zip(statements, annotations, strict=True):
        mentions = [asdict(mention) for mention in annotation.mentions]
        rows.append({"b_id": statement.id, "b_key": keys[statement.id], "b_mentions": mentions})
        set_committed_value(statement, "mentions", mentions)
        set_committed_value(statement, "nlp_key", keys[statement.id])
        session.expire(statement, ["tags"])
    table = Statement.__table__
    session.execute(
        table.update()
        .where(table.c.id == sa.bindparam("b_id"))
        .values(nlp_key=sa.bindparam("b_key"), mentions=sa.bindparam("b_mentions")),
        rows,
    )


def tags_by_statement(session: DbSession, ids: list[int]) -> dict[int, list[StatementTheme]]:
    """The stored tags of many statements, fetched in one query per thousand."""
    found: dict[int, list[StatementTheme]] = {}
    for chunk in chunks(ids, 1000):
        for tag in session.scalars(
            sa.select(StatementTheme).where(StatementTheme.statement_id.in_(chunk))
        ):
            found.setdefault(tag.statement_id, []).append(tag)
    return found


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    """Successive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_annotation(
    session: DbSession,
    statement: Statement,
    annotation: Annotation,
    themes: dict[str, Theme],
    tags: list[StatementTheme],
    sources: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Apply the NLP's suggestions, leaving every person's decision as it is; returns the rows
    of tags that are new, for the caller to insert in bulk.

    ``sources`` says which themes came from the trained model rather than the rules."""
    new_tags: list[dict[str, Any]] = []
    by_theme = {tag.theme_id: tag for tag in tags}
    suggested_ids = set()
    for hit in annotation.themes:
        theme = themes.get(hit.slug)
        if theme is None:
            continue
        suggested_ids.add(theme.id)
        tag = by_theme.get(theme.id)
        if tag is None:
            new_tags.append(
                {
                    "statement_id": statement.id,
                    "theme_id": theme.id,
                    "source": (sources or {}).get(hit.slug, "rule"),
                    "confidence": round(hit.score, 3),
                    "evidence": list(hit.evidence),
                    "decision": "suggested",
                }
            )
        elif tag.decision == "suggested" and tag.source != "person":
            tag.confidence, tag.evidence = round(hit.score, 3), list(hit.evidence)
            tag.source = (sources or {}).get(hit.slug, "rule")
    for tag in tags:
        if (
            tag.decision == "suggested"
            and tag.source != "person"
            and tag.theme_id not in suggested_ids
        ):
            session.delete(tag)
    draft_need(statement, annotation)
    return new_tags


def draft_need(statement: Statement, annotation: Annotation) -> None:
    """Fill an untouched need's role, goal and benefit from the parser's draft."""
    if statement.kind != "need" or annotation.need is None:
        return
    if statement.need is None:
        statement.need = NeedDetail()
    need = statement.need
    if need.drafted_by == "person" and (need.role or need.goal or need.benefit):
        return
    need.role, need.goal, need.benefit = (
        annotation.need.role,
        annotation.need.goal,
        annotation.need.benefit,
    )
    need.drafted_by = "parser"


def visible_tags(statement_tags: list[StatementTheme]) -> list[StatementTheme]:
    """The tags a card shows: everything but rejected themes, the most confident first."""
    shown = [tag for tag in statement_tags if tag.decision != "rejected"]
    return sorted(shown, key=lambda tag: (tag.decision != "accepted", -tag.confidence))

"""Emerging themes: phrases that recur among statements the taxonomy covers poorly."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from spacy.tokens import Span

from insights.extensions import DbSession
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from insights.themes.taxonomy import add_theme
from nlp.patterns import GENERIC_WORDS

WEAK_CONFIDENCE = 0.6
MIN_STATEMENTS = 2
MAX_STATEMENTS_READ = 2000
PHRASE_POS = {"NOUN", "PROPN", "ADJ"}


@dataclass
class Candidate:
    """A phrase that could become a theme, with the statements it recurs in."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)
    statements: list[Statement] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The wording people used most often."""
        return self.forms.most_common(1)[0][0] if self.forms else self.key


def weakly_tagged(session: DbSession, workshop_ids: Iterable[int]) -> list[Statement]:
    """Live statements with no accepted theme and no confident suggestion, newest first."""
    strong = sa.select(StatementTheme.statement_id).where(
        sa.or_(
            StatementTheme.decision == "accepted",
            sa.and_(
                StatementTheme.decision == "suggested",
                StatementTheme.confidence >= WEAK_CONFIDENCE,
            ),
        )
    )
    return list(
        session.scalars(
            sa.select(Statement)
            .where(
                Statement.workshop_id.in_(list(workshop_ids)),
                Statement.live(),
                Statement.id.not_in(strong),
            )
            .order_by(Statement.id.desc())
            .limit(MAX_STATEMENTS_READ)
        )
    )


def phrase_keys(chunk: Span) -> dict[str, str]:
    """Lemma keys of a noun chunk's content words (every run of two or more, and the head
    noun alone) with the wording used."""
    words = [
        token
        for token in chunk
        if token.is_alpha and not token.is_stop and token.pos_ in PHRASE_POS
    ]
    words = [t for t in words if t.lemma_.lower() not in GENERIC_WORDS and len(t.text) > 2]
    if not words or len(words) > 4:
        return {}
    runs = [words[i:j] for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
    if words[-1].pos_ in ("NOUN", "PROPN"):
        runs.append(words[-1:])
    return {
        " ".join(t.lemma_.lower() for t in run): " ".join(t.lower_ for t in run)
        for run in runs
        if run[-1].pos_ in ("NOUN", "PROPN")
    }


def emerging_themes(
    session: DbSession, statements: list[Statement], *, min_statements: int = MIN_STATEMENTS
) -> list[Candidate]:
    """Recurring noun-chunk phrases among the statements, most widespread first; a phrase
    already a theme's name is left out, as is a shorter one found in exactly the same places."""
    pipeline = pipeline_for(current_taxonomy(session), current_gazetteer(session))
    found: dict[str, Candidate] = defaultdict(lambda: Candidate(""))
    for statement, doc in zip(statements, pipeline.pipe(s.text for s in statements), strict=True):
        keys: dict[str, str] = {}
        for chunk in doc.noun_chunks:
            keys |= phrase_keys(chunk)
        for key, form in keys.items():
            candidate = found[key]
            candidate.key = key
            candidate.forms[form] += 1
            candidate.statements.append(statement)
    names = {name.lower() for name in session.scalars(sa.select(Theme.name))}
    kept = [c for c in found.values() if len(c.statements) >= min_statements and c.key not in names]
    return sorted(without_subsumed(kept), key=lambda c: (-len(c.statements), -len(c.key)))


def without_subsumed(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a phrase when a longer one containing it recurs in the same statements."""
    ids = {c.key: {s.id for s in c.statements} for c in candidates}
    return [
        c
        for c in candidates
        if not any(
            other != c.key and f" {c.key} " in f" {other} " and ids[other] == ids[c.key]
            for other in ids
        )
    ]


def adopt_candidate(session: DbSession, key: str, label: str) -> Theme:
    """Add an emerging phrase to the taxonomy, matching the phrase in any inflection."""
    name = label[:1].upper() + label[1:]
    return add_theme(
        session,
        name,
        f"Emerging theme: statements about {label}.",
        patterns_text=key,
    )

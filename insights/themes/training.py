"""Learning from people's decisions: train a spaCy ``textcat_multilabel`` on reviewed tags,
score it against the rules on held-out statements, and use it only where it beats them."""

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from spacy.language import Language

from insights.extensions import DbSession
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme, ThemeClassifier
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from insights.timeutil import utcnow
from nlp import annotate, score_themes
from nlp.theme_model import train_textcat as nlp_train_textcat

MIN_REVIEWED = 50
HELDOUT_FRACTION = 0.2
DEFAULT_EPOCHS = 20
# The model replaces or joins the rules for a theme only when it is better on at least this
# many held-out statements carrying the theme: fewer is noise, not evidence.
MIN_HELDOUT_SUPPORT = 3
THRESHOLD = 0.5


class NotEnoughReviews(ValueError):
    """Too few reviewed statements to train and evaluate honestly."""


@dataclass
class ReviewedStatement:
    """A statement a person reviewed: the themes they accepted, rejected, or left suggested."""

    text: str
    accepted: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    undecided: set[str] = field(default_factory=set)

    def cats(self, labels: list[str]) -> dict[str, float]:
        """Training targets: accepted 1, rejected or never tagged 0, undecided left out."""
        return {
            slug: 1.0 if slug in self.accepted else 0.0
            for slug in labels
            if slug not in self.undecided
        }


def reviewed_statements(session: DbSession) -> list[ReviewedStatement]:
    """Statements with at least one accepted theme, with every live theme decision on them."""
    accepted = sa.select(StatementTheme.statement_id).where(StatementTheme.decision == "accepted")
    rows = session.execute(
        sa.select(Statement.id, Statement.text, Theme.slug, StatementTheme.decision)
        .join(StatementTheme, StatementTheme.statement_id == Statement.id)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .where(
            Statement.id.in_(accepted),
            Statement.deleted_at.is_(None),
            Theme.live(),
        )
        .order_by(Statement.id)
    )
    found: dict[int, ReviewedStatement] = {}
    for statement_id, text, slug, decision in rows:
        reviewed = found.setdefault(statement_id, ReviewedStatement(text))
        {"accepted": reviewed.accepted, "rejected": reviewed.rejected}.get(
            decision, reviewed.undecided
        ).add(slug)
    return list(found.values())


def split(
    items: list[ReviewedStatement], fraction: float = HELDOUT_FRACTION, seed: int = 0
) -> tuple[list[ReviewedStatement], list[ReviewedStatement]]:
    """A reproducible train / held-out split."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    cut = max(1, round(len(shuffled) * fraction))
    return shuffled[cut:], shuffled[:cut]


def train_textcat(
    items: list[ReviewedStatement], labels: list[str], epochs: int, seed: int = 0
) -> Language:
    """The classifier of nlp.theme_model, trained on reviewed statements."""
    examples = [(item.text, item.cats(labels)) for item in items]
    return nlp_train_textcat(examples, labels, epochs, seed)


def compare_on_heldout(
    session: DbSession, nlp: Language, heldout: list[ReviewedStatement], labels: list[str]
) -> dict[str, Any]:
    """Per theme: precision, recall and F1 of the rules, the model and either, and the mode
    chosen for it; plus micro averages, "chosen" being the combination that will be used."""
    texts = [item.text for item in heldout]
    gold = [item.accepted for item in heldout]
    pipeline = pipeline_for(current_taxonomy(session), current_gazetteer(session))
    rules = [{hit.slug for hit in a.themes} for a in annotate(texts, pipeline, parse_needs=False)]
    model = [{s for s in labels if doc.cats[s] >= THRESHOLD} for doc in nlp.pipe(texts)]
    either = [r | m for r, m in zip(rules, model, strict=True)]
    by = {
        name: score_themes(gold, predicted, labels)
        for name, predicted in (("rules", rules), ("model", model), ("either", either))
    }
    scores: dict[str, Any] = {slug: choose_mode(slug, by) for slug in labels}
    chosen = [
        {s for s in labels if s in {"rules": r, "model": m, "either": e}[scores[s]["mode"]]}
        for r, m, e in zip(rules, model, either, strict=True)
    ]
    by["chosen"] = score_themes(gold, chosen, labels)
    scores["micro"] = {name: by[name]["micro"] for name in by} | {"mode": "-"}
    return scores


def choose_mode(slug: str, by: dict[str, Any]) -> dict[str, Any]:
    """Rules, unless the model (alone or with them) has a better held-out F1 on enough cases."""
    row = {name: by[name][slug] for name in ("rules", "model", "either")}
    best = max(("model", "either"), key=lambda name: row[name]["f1"])
    better = row[best]["f1"] > row["rules"]["f1"]
    enough = row["rules"]["support"] >= MIN_HELDOUT_SUPPORT
    return row | {"mode": best if better and enough else "rules"}


def train_classifier(
    session: DbSession,
    models_dir: Path,
    *,
    epochs: int = DEFAULT_EPOCHS,
    min_reviewed: int = MIN_REVIEWED,
    trained_by_id: int | None = None,
) -> ThemeClassifier:
    """Train on the reviewed statements, evaluate against the rules, save the model and make
    it the active classifier. Raises NotEnoughReviews below ``min_reviewed`` statements."""
    items = reviewed_statements(session)
    if len(items) < min_reviewed:
        raise NotEnoughReviews(
            f"Only {len(items)} reviewed statements (with at least one accepted theme); "
            f"{min_reviewed} are needed to train and evaluate a classifier honestly. "
            "Review more themes on the statement pages or the board, then try again."
        )
    train, heldout = split(items)
    live = [theme.slug for theme in current_taxonomy(session).themes]
    labels = [slug for slug in live if any(slug in item.accepted for item in train)]
    nlp = train_textcat(train, labels, epochs)
    scores = compare_on_heldout(session, nlp, heldout, labels)
    path = models_dir / f"theme-classifier-{utcnow():%Y%m%d-%H%M%S-%f}"
    path.mkdir(parents=True)
    nlp.to_disk(path)
    session.execute(sa.update(ThemeClassifier).values(active=False))
    classifier = ThemeClassifier(
        path=str(path),
        train_count=len(train),
        heldout_count=len(heldout),
        epochs=epochs,
        scores=scores,
        trained_by_id=trained_by_id,
    )
    session.add(classifier)
    session.flush()
    return classifier


def latest_classifier(session: DbSession) -> ThemeClassifier | None:
    """The most recently trained classifier, for the evaluation page."""
    return session.scalars(
        sa.select(ThemeClassifier).order_by(ThemeClassifier.id.desc()).limit(1)
    ).first()

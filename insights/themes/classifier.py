"""The trained theme classifier at tagging time: load it once, and combine its predictions
with the rules for the themes where it beat them on held-out statements."""

import threading
from dataclasses import replace
from pathlib import Path

import spacy
import sqlalchemy as sa
from spacy.language import Language
from spacy.tokens import Doc

from insights.extensions import DbSession
from insights.themes.models import ThemeClassifier
from nlp import Annotation, ThemeHit

MODEL_THRESHOLD = 0.5
EVIDENCE_WORDS = 3

_loaded: dict[str, Language] = {}
_lock = threading.Lock()


def active_classifier(session: DbSession) -> ThemeClassifier | None:
    """The newest active classifier that is used for at least one theme and is on disk."""
    classifier = session.scalars(
        sa.select(ThemeClassifier)
        .where(ThemeClassifier.active.is_(True))
        .order_by(ThemeClassifier.id.desc())
        .limit(1)
    ).first()
    if classifier is None or not any(m != "rules" for m in classifier.modes().values()):
        return None
    return classifier if Path(classifier.path).is_dir() else None


def load_classifier(path: str) -> Language:
    """The spaCy pipeline saved at ``path``, loaded once per process."""
    with _lock:
        if path not in _loaded:
            _loaded[path] = spacy.load(path)
        return _loaded[path]


def combine_with_classifier(
    classifier: ThemeClassifier, texts: list[str], annotations: list[Annotation]
) -> tuple[list[Annotation], list[dict[str, str]]]:
    """The annotations with the classifier's themes combined in, and for each text the themes
    that came from the model."""
    nlp = load_classifier(classifier.path)
    modes = classifier.modes()
    combined, sources = [], []
    for doc, annotation in zip(nlp.pipe(texts), annotations, strict=True):
        hits, from_model = combine_hits(nlp, doc, annotation.themes, modes)
        combined.append(replace(annotation, themes=hits))
        sources.append(from_model)
    return combined, sources


def combine_hits(
    nlp: Language, doc: Doc, rule_hits: list[ThemeHit], modes: dict[str, str]
) -> tuple[list[ThemeHit], dict[str, str]]:
    """Per theme: keep the rules' hit, replace it by the model's, or take either."""
    hits = {hit.slug: hit for hit in rule_hits}
    from_model: dict[str, str] = {}
    for slug, mode in modes.items():
        if mode == "rules":
            continue
        if mode == "model":
            hits.pop(slug, None)
        score = doc.cats.get(slug, 0.0)
        if slug not in hits and score >= MODEL_THRESHOLD:
            evidence = model_evidence(nlp, doc, slug)
            hits[slug] = ThemeHit(slug, round(score, 4), evidence, ["model"])
            from_model[slug] = "model"
    return sorted(hits.values(), key=lambda hit: (-hit.score, hit.slug)), from_model


def model_evidence(nlp: Language, doc: Doc, slug: str) -> list[str]:
    """The words whose removal lowers the model's score the most: what triggered it."""
    words = [token for token in doc if token.is_alpha and not token.is_stop]
    if not words:
        return []
    variants = [" ".join(t.text for t in doc if t.i != word.i) for word in words]
    drops = [
        (doc.cats[slug] - other.cats.get(slug, 0.0), word.text)
        for word, other in zip(words, nlp.pipe(variants), strict=True)
    ]
    ranked = sorted((d for d in drops if d[0] > 0), reverse=True)[:EVIDENCE_WORDS]
    return [word for _, word in ranked]


def predicted_theme_sets(session: DbSession, texts: list[str]) -> list[set[str]]:
    """The themes the app would suggest for each text now: rules plus the classifier."""
    from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
    from nlp import annotate

    pipeline = pipeline_for(current_taxonomy(session), current_gazetteer(session))
    annotations = annotate(texts, pipeline, parse_needs=False)
    classifier = active_classifier(session)
    if classifier:
        annotations, _ = combine_with_classifier(classifier, texts, annotations)
    return [{hit.slug for hit in annotation.themes} for annotation in annotations]

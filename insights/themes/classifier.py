"""The trained theme classifier at tagging time: load it once, and combine its predictions
with the rules for the themes where it beat them on held-out statements."""

import threading
from dataclasses import replace
from pathlib import Path

import spacy
import sqlalchemy as sa
from spacy.language import Language

from insights.extensions import DbSession
from insights.themes.models import ThemeClassifier
from nlp import Annotation
from nlp.theme_model import combine_hits

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

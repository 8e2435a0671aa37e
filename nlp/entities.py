"""The ``mention_ruler`` spaCy component: boroughs, places, organisations and datasets."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

DATA_DIR = Path(__file__).with_name("data")
LABELS = ("DATASET", "BOROUGH", "ORG", "PLACE")  # tie-break order for equal-length mentions
FORMAL_PREFIXES = ("London Borough of ", "Royal Borough of ")
DatasetNames = str | tuple[str, Iterable[str]]

SPANS_KEY = "mentions"
# Mentions live in doc.spans (serialisable, so Docs cross process boundaries);
# doc._.mentions reads them back as Mention values.
if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", getter=lambda doc: mentions_of(doc))


@dataclass(frozen=True)
class Mention:
    """A recognised mention; ``key`` is the ONS code for a borough, else a canonical name."""

    label: str
    text: str
    start_char: int
    end_char: int
    key: str


@dataclass(frozen=True)
class Gazetteer:
    """Caller-supplied names: boroughs as (ONS code, name) and datasets as (title, aliases)."""

    boroughs: tuple[tuple[str, str], ...] = ()
    datasets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_values(
        cls,
        boroughs: Iterable[tuple[str, str]] = (),
        datasets: Iterable[DatasetNames] | Mapping[str, Iterable[str]] = (),
    ) -> Gazetteer:
        """Build from (code, name) pairs and dataset titles, (title, aliases) pairs or a dict."""
        items = datasets.items() if isinstance(datasets, Mapping) else datasets
        return cls(
            boroughs=tuple((str(code), str(name)) for code, name in boroughs),
            datasets=tuple(_dataset_entry(item) for item in items),
        )

    @cached_property  # computed once: hashing every pattern costs milliseconds
    def version(self) -> str:
        """A stable content hash, so caches can key on the gazetteer."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _dataset_entry(item: DatasetNames) -> tuple[str, tuple[str, ...]]:
    if isinstance(item, str):
        return item, ()
    title, aliases = item
    return str(title), tuple(str(alias) for alias in aliases)


def read_boroughs_csv(path: str | Path) -> list[tuple[str, str]]:
    """Read (code_ons, name) pairs from a CSV with ``code_ons`` and ``name`` columns."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["code_ons"], row["name"]) for row in csv.DictReader(handle)]


@Language.factory("mention_ruler", assigns=["doc.spans"], default_config={})
def make_mention_ruler(nlp: Language, name: str) -> MentionRuler:
    """Create a mention ruler; give it boroughs and datasets with `set_gazetteer`."""
    return MentionRuler(nlp, name)


class MentionRuler:
    """Find gazetteer names and set ``doc.spans["mentions"]``, longest mention winning.

    Single-word names match case-sensitively ("Harrow", not "harrow"; "GLA"); longer
    names match case-insensitively. "<Proper noun> CVS" is recognised as an organisation.
    """

    def __init__(self, nlp: Language, name: str = "mention_ruler") -> None:
        self.nlp = nlp
        self.name = name
        self.gazetteer = Gazetteer()
        self.set_gazetteer(self.gazetteer)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        nlp: Language | None = None,
        *,
        boroughs: Iterable[tuple[str, str]] = (),
        datasets: Iterable[DatasetNames] = (),
    ) -> None:
        """Load boroughs and datasets from plain values."""
        self.set_gazetteer(Gazetteer.from_values(boroughs, datasets))

    def set_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Use ``gazetteer`` (plus the shipped places and organisations) from now on."""
        self.gazetteer = gazetteer
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._cvs = Matcher(self.nlp.vocab)
        self._cvs.add("ORG|CVS", [[{"POS": "PROPN", "OP": "+"}, {"ORTH": "CVS"}]])
        for label, key, alias in _entries(gazetteer):
            matcher = self._exact if len(alias.split()) == 1 else self._folded
            matcher.add(f"{label}|{key}", [self.nlp.make_doc(alias)])

    def __call__(self, doc: Doc) -> Doc:
        """Set the mention spans in text order."""
        spans = [*self._phrase_spans(doc), *self._cvs_spans(doc)]
        spans.sort(key=lambda span: LABELS.index(span.label_))
        doc.spans[SPANS_KEY] = sorted(filter_spans(spans))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the gazetteer to a directory."""
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        srsly.write_json(directory / "gazetteer.json", asdict(self.gazetteer))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> MentionRuler:
        """Load what `to_disk` saved."""
        data = srsly.read_json(Path(path) / "gazetteer.json")
        self.set_gazetteer(Gazetteer.from_values(data["boroughs"], data["datasets"]))
        return self

    def _phrase_spans(self, doc: Doc) -> Iterator[Span]:
        for match_id, start, end in [*self._exact(doc), *self._folded(doc)]:
            label, key = self.nlp.vocab.strings[match_id].split("|", 1)
            yield Span(doc, start, end, label=label, kb_id=key)

    def _cvs_spans(self, doc: Doc) -> Iterator[Span]:
        if not doc.has_annotation("POS"):  # e.g. a blank pipeline: rely on the phrase lists
            return
        for _match_id, start, end in self._cvs(doc):
            span = doc[start:end]
            yield Span(doc, start, end, label="ORG", kb_id=" ".join(span.text.split()))


def mentions_of(doc: Doc) -> list[Mention]:
    """The mentions found on a Doc, in text order."""
    return [_mention(span) for span in doc.spans.get(SPANS_KEY, ())]


def _mention(span: Span) -> Mention:
    return Mention(span.label_, span.text, span.start_char, span.end_char, span.kb_id_)


def _entries(gazetteer: Gazetteer) -> Iterator[tuple[str, str, str]]:
    """Every (label, key, alias) to match."""
    yield from _borough_entries(gazetteer.boroughs)
    for title, short_names in gazetteer.datasets:
        yield from (("DATASET", title, alias) for alias in (title, *short_names))
    for label, filename in (("PLACE", "places.json"), ("ORG", "organisations.json")):
        for key, names in _read_data(filename).items():
            yield from ((label, key, alias) for alias in names)


def _borough_entries(boroughs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str, str]]:
    aliases = _read_data("borough_aliases.json")
    for code, name in boroughs:
        names = sorted({name, *_borough_variants(name), *aliases.get(code, [])})
        yield from (("BOROUGH", code, alias) for alias in names)
        # "Hackney CVS" is an organisation even where the tagger misses the proper noun.
        cvs_names = (alias for alias in names if not alias.startswith(FORMAL_PREFIXES))
        yield from (("ORG", f"{alias} CVS", f"{alias} CVS") for alias in cvs_names)


def _borough_variants(name: str) -> list[str]:
    """Common short forms: "&" for "and", no "upon Thames", the formal prefixes."""
    short = name.split(" upon ")[0]
    forms = [name.replace(" and ", " & "), short]
    return [*forms, *(prefix + form for prefix in FORMAL_PREFIXES for form in (name, short))]


def _read_data(filename: str) -> dict[str, list[str]]:
    data = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}

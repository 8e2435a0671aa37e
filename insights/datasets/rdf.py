"""DCAT-AP in RDF/XML, Turtle and JSON-LD, read with rdflib, as records.

Each dcat:Dataset is one record; its identity is dct:identifier (else the node's IRI) with the
catalogue it is in; multilingual literals give English, else the first language, and keep the
others as translations; distributions give formats and download links.
"""

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, Namespace

from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    find_doi,
    frequency_words,
    normalise_access,
    safe_link,
    split_keywords,
)
from insights.ingest.problems import rejected
from insights.ingest.reading import first_line

ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("http://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MAX_TRIPLES = 2_000_000


def parse_graph(text: str, rdf_format: str) -> Graph:
    """The RDF graph of a document; a document rdflib cannot read is refused with the reason."""
    graph = Graph()
    try:
        graph.parse(data=text, format=rdf_format)
    except Exception as error:  # rdflib raises parser-specific types
        raise rejected(f"The RDF could not be read ({rdf_format}): {first_line(error)}") from None
    if len(graph) > MAX_TRIPLES:
        raise rejected("The RDF holds more than two million statements; split it.")
    return graph


def rdf_records(graph: Graph) -> list[DatasetRecord]:
    """A record for each dcat:Dataset of the graph, in a stable order."""
    portal = _catalogue_address(graph)
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str)
    return [_record(graph, node, portal) for node in datasets]


def _catalogue_address(graph: Graph) -> str:
    """The catalogue's homepage or IRI, the source portal of its datasets."""
    for catalogue in graph.subjects(RDF.type, DCAT.Catalog):
        homepage = graph.value(catalogue, FOAF.homepage)
        return safe_link(homepage) or (
            safe_link(catalogue) if isinstance(catalogue, URIRef) else ""
        )
    return ""


def _record(graph: Graph, node: Any, portal: str) -> DatasetRecord:
    """One dataset node as a record."""
    title, titles = _text(graph, node, DCTERMS.title)
    description, descriptions = _text(graph, node, DCTERMS.description)
    identifier = clean_text(graph.value(node, DCTERMS.identifier)) or (
        str(node) if isinstance(node, URIRef) else ""
    )
    distributions = _distributions(graph, node)
    translations = {
        k: v for k, v in (("title", titles), ("description", descriptions)) if len(v) > 1
    }
    return DatasetRecord(
        title=title[:300] or identifier[:300],
        publisher=_publisher(graph, node)[:300],
        description=description,
        landing_page=safe_link(graph.value(node, DCAT.landingPage)),
        licence=clean_text(graph.value(node, DCTERMS.license), 200),
        keywords=split_keywords(_keywords(graph, node)),
        spatial_coverage=_spatial(graph, node)[:120],
        update_frequency=frequency_words(graph.value(node, DCTERMS.accrualPeriodicity)),
        access=normalise_access(_access(graph, node)),
        identifier=identifier[:500],
        source_portal=portal[:300],
        doi=find_doi(identifier, *graph.objects(node, ADMS.identifier), *_notations(graph, node)),
        temporal_coverage=_temporal(graph, node)[:120],
        formats=list(dict.fromkeys(d["format"] for d in distributions if d["format"])),
        distributions=distributions,
        translations=translations,
    )


def _text(graph: Graph, node: Any, predicate: URIRef) -> tuple[str, dict[str, str]]:
    """A literal in English (else the first language, else untagged), and every language's."""
    texts: dict[str, str] = {}
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal):
            texts.setdefault(value.language or "", clean_text(value))
    if not texts:
        return "", {}
    chosen = texts.get("en") or texts.get("") or next(iter(texts.values()))
    return chosen, {k: v for k, v in texts.items() if k}


def _publisher(graph: Graph, node: Any) -> str:
    """The publisher's foaf:name (English first), or the literal given."""
    publisher = graph.value(node, DCTERMS.publisher)
    if publisher is None:
        return ""
    if isinstance(publisher, Literal):
        return clean_text(publisher)
    name, _ = _text(graph, publisher, FOAF.name)
    return name or clean_text(graph.value(publisher, VCARD.fn))


def _keywords(graph: Graph, node: Any) -> list[str]:
    """Keywords in English where tagged, else every keyword."""
    values = [v for v in graph.objects(node, DCAT.keyword) if isinstance(v, Literal)]
    english = [str(v) for v in values if v.language == "en"]
    return english or sorted({str(v) for v in values})


def _spatial(graph: Graph, node: Any) -> str:
    """Spatial coverage: a place's label or IRI, or a geometry's kind."""
    for place in graph.objects(node, DCTERMS.spatial):
        if isinstance(place, Literal):
            return clean_text(place)
        label, _ = _text(graph, place, SKOS.prefLabel)
        if label:
            return label
        if isinstance(place, URIRef):
            return str(place).rstrip("/").rsplit("/", 1)[-1]
        geometry = graph.value(place, LOCN.geometry)
        if geometry is not None:
            return clean_text(geometry).split("(", 1)[0].strip().title() + " shape"
    return ""


def _temporal(graph: Graph, node: Any) -> str:
    """Temporal coverage as "start to end" from dct:PeriodOfTime."""
    for period in graph.objects(node, DCTERMS.temporal):
        start = graph.value(period, DCAT.startDate) or graph.value(period, SCHEMA.startDate)
        end = graph.value(period, DCAT.endDate) or graph.value(period, SCHEMA.endDate)
        if start or end:
            return f"{clean_text(start)[:10]} to {clean_text(end)[:10]}".strip()
    return ""


def _access(graph: Graph, node: Any) -> str:
    """Access rights in words (their last path segment for a vocabulary IRI)."""
    rights = graph.value(node, DCTERMS.accessRights)
    text = clean_text(rights)
    return text.rstrip("/").rsplit("/", 1)[-1].lower() if text else "open"


def _notations(graph: Graph, node: Any) -> list[str]:
    """The notations of a dataset's alternative identifiers (where DOIs are often kept)."""
    return [
        clean_text(graph.value(other, SKOS.notation))
        for other in graph.objects(node, ADMS.identifier)
        if not isinstance(other, Literal)
    ]


def _distributions(graph: Graph, node: Any) -> list[dict[str, str]]:
    """Each distribution's title, format and download (else access) link."""
    found = []
    for distribution in sorted(graph.objects(node, DCAT.distribution), key=str)[:200]:
        title, _ = _text(graph, distribution, DCTERMS.title)
        media_type = clean_text(graph.value(distribution, DCAT.mediaType))
        file_format = clean_text(graph.value(distribution, DCTERMS.format))
        link = safe_link(graph.value(distribution, DCAT.downloadURL)) or safe_link(
            graph.value(distribution, DCAT.accessURL)
        )
        found.append(
            {
                "title": title[:300],
                "format": _format_name(file_format or media_type),
                "url": link,
                "media_type": media_type[:100],
            }
        )
    return found


def _format_name(value: str) -> str:
    """A format's short name from a vocabulary IRI or media type: …/file-type/CSV is CSV."""
    tail = value.rstrip("/").rsplit("/", 1)[-1]
    return tail.split(";")[0].upper()[:40]

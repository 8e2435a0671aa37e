"""Real catalogues in: CKAN responses from two portals, four US agencies' data.json, DCAT-AP.

Every file is a published one (see tests/data/SOURCES.md). Each test counts the records and
checks the mapped fields of named records: title, publisher, landing page, identifier, formats.
"""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.datasets.importers import CatalogueImportError, read_catalogue
from insights.datasets.models import Dataset
from insights.datasets.records import DatasetRecord
from insights.datasets.services import import_catalogue_file
from insights.extensions import db
from tests.ingest import hostile

FILES = Path(__file__).resolve().parents[1] / "data" / "catalogues"


def records(name: str) -> list[DatasetRecord]:
    """The records of one of the real catalogue files."""
    return list(read_catalogue((FILES / name).read_bytes(), name).records)


def named(found: list[DatasetRecord], title: str) -> DatasetRecord:
    """The one record with this title."""
    (record,) = [r for r in found if r.title == title]
    return record


def test_birmingham_ckan_landing_pages_are_the_portals_pages_not_free_text() -> None:
    found = records("birmingham_package_search.json")
    assert len(found) == 10  # of the portal's 38: the first page of package_search
    april = named(found, "April 2021 Purchase Card Transactions")
    assert april.publisher == "Birmingham City Council"
    assert april.landing_page == (
        "https://data.birmingham.gov.uk/dataset/april-2021-purchase-card-transactions"
    )
    assert april.identifier == "98702016-3d53-45cb-a00b-5bcad5d96a9a"
    assert april.source_portal == "https://data.birmingham.gov.uk"
    assert april.formats == ["XLS"]
    # the free-text url "Birmingham City Council" is the landing page of nothing
    assert all(r.landing_page.startswith("https://data.birmingham.gov.uk/dataset/") for r in found)
    assert len({r.landing_page for r in found}) == 10
    first = named(found, "Purchase Card Transactions")
    assert first.identifier == "cf552d08-cee9-43bf-8c0f-3196a9311799"
    assert first.formats == ["XLS"]
    assert len(first.distributions) == 45
    assert first.distributions[0]["url"].endswith("purchasecardtransactionsapril2014.xls")


def test_envidat_ckan_keeps_dois_coverage_and_its_portal_pages() -> None:
    found = records("envidat_package_search.json")
    assert len(found) == 2
    heat = found[0]
    assert heat.title.startswith("The importance of hot summers and individual heatwaves")
    assert heat.publisher == "CRYOS"
    assert heat.identifier == "8c2dcda3-8d82-40cd-b79e-1b4dbe4ac77f"
    assert heat.landing_page == (
        "https://www.envidat.ch/dataset/"
        "the-importance-of-hot-summers-and-individual-heatwaves-for-permafrost-warming-an"
    )
    assert heat.doi == "10.16904/envidat.792"
    assert heat.temporal_coverage == "2000-06-20 to 2017-01-01"
    assert heat.spatial_coverage == "Switzerland"
    assert heat.formats == ["ZIP"]
    (avalanches,) = records("envidat_package_show.json")
    assert avalanches.title == "Fatal avalanche accidents in Switzerland since 1936/37"
    assert avalanches.doi == "10.16904/envidat.412"
    assert avalanches.formats == ["CSV"]


def test_a_list_of_ckan_organisations_is_refused_not_imported_as_datasets() -> None:
    with pytest.raises(CatalogueImportError) as caught:
        records("envidat_organization_list.json")
    assert "a list of 25 CKAN organisations or groups, not datasets" in str(caught.value)


def test_consumer_finance_data_json() -> None:
    found = records("consumerfinance_data.json")
    assert len(found) == 11
    complaints = named(found, "Consumer Complaint Database")
    assert complaints.publisher == "Consumer Financial Protection Bureau"
    assert complaints.identifier == "CCDB"
    assert complaints.landing_page == (
        "https://www.consumerfinance.gov/data-research/consumer-complaints/"
    )
    assert complaints.update_frequency == "daily"  # R/P1D in words
    assert complaints.spatial_coverage == "United States"


def test_fda_data_json_gives_formats_and_download_links() -> None:
    found = records("fda_data.json")
    assert len(found) == 86
    peanuts = named(found, "Peanut Product Recalls")
    assert peanuts.publisher == "Office of Regulatory Affairs"
    assert peanuts.identifier == "5d4b366c-07ca-4358-a783-01aa2fe59684"
    assert peanuts.landing_page.startswith(
        "http://www.accessdata.fda.gov/scripts/peanutbutterrecall/"
    )
    assert peanuts.formats == ["XML"]
    assert peanuts.update_frequency == "irregular"


def test_usaids_lone_surrogate_escapes_are_repaired_and_named_never_a_traceback() -> None:
    catalogue = read_catalogue((FILES / "usaid_data.json").read_bytes(), "usaid_data.json")
    assert len(catalogue.records) == 316
    assert catalogue.notes == (
        "4 text value(s) held invalid Unicode (lone surrogate escapes such as \\ud83d); each bad "
        "character was replaced by �.",
    )
    inventory = catalogue.records[0]
    assert inventory.title == "USAID Enterprise Data Inventory"
    assert inventory.publisher == "USAID"
    assert inventory.identifier == "4a3eea16-c278-4b42-9713-a877c7c5ec43"
    assert inventory.formats == ["JSON"]
    assert inventory.landing_page == ""  # it has none; no identifier or free text stands in


def test_dhs_datasets_sharing_a_title_and_publisher_stay_distinct(app: Flask) -> None:
    data = (FILES / "dhs_data.json").read_bytes()
    _, first = import_catalogue_file(db.session, data, "dhs_data.json")
    db.session.commit()
    assert (first.created, first.updated, first.unchanged) == (1093, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 1093
    covid = db.session.scalar(
        sa.select(Dataset).where(Dataset.title == "COVID-19 Passenger Throughput")
    )
    assert covid is not None
    assert covid.publisher == "TSA.GOV Public Website"
    assert covid.identifier == "TSA-1ebecc72-746a-4a36-b278-b3e5e31dc9cc"
    assert covid.landing_page == "https://www.tsa.gov/coronavirus/passenger-throughput"


def test_importing_the_same_catalogue_twice_doubles_nothing_and_updates_in_place(
    app: Flask,
) -> None:
    data = (FILES / "fda_data.json").read_bytes()
    _, first = import_catalogue_file(db.session, data, "fda_data.json")
    db.session.commit()
    _, second = import_catalogue_file(db.session, data, "fda_data.json")
    db.session.commit()
    assert (first.created, second.created, second.updated, second.unchanged) == (86, 0, 0, 86)
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 86
    report = second.report()
    assert report.lines()[:2] == ["0 datasets added", "86 already up to date"]


def test_dcat_ap_rdf_xml_with_distributions_and_frequency() -> None:
    (zimbabwe,) = records("dcat_dataset.rdf")
    assert zimbabwe.title == "Zimbabwe Regional Geochemical Survey."
    assert zimbabwe.publisher == "Publishing Organization for dataset 1"
    assert zimbabwe.landing_page == "http://dataset.info.org"
    assert zimbabwe.identifier == "9df8df51-63db-37a8-e044-0003ba9b0d98"
    assert zimbabwe.formats == ["HTML"]
    assert zimbabwe.distributions[0]["url"] == "http://www.bgs.ac.uk/gbase/geochemcd/home.html"
    assert zimbabwe.update_frequency == "daily"  # http://purl.org/cld/freq/daily in words
    assert zimbabwe.keywords == ["exploration", "geochemistry", "geology"]


def test_a_dcat_ap_catalogue_in_rdf_xml_gives_each_dataset() -> None:
    found = records("dcat_catalog.rdf")
    assert [r.title for r in found] == ["Example dataset 1", "Example dataset 2"]
    assert found[0].identifier == "https://data.some.org/catalog/datasets/1"
    assert found[0].source_portal == "https://data.some.org/the/actual/catalog"
    assert "CSV" in found[0].formats


def test_multilingual_turtle_takes_english_and_keeps_the_other_languages() -> None:
    (dataset,) = records("dcat_dataset_multilingual.ttl")
    assert dataset.title == "Test DCAT dataset"
    assert dataset.translations["title"]["es"] == "Conjunto de datos de prueba DCAT"
    assert dataset.translations["description"]["ca"] == "Una descripció qualsevol"
    assert dataset.formats == ["CSV"]


def test_multilingual_ckan_fields_take_english_not_a_python_dict_as_text() -> None:
    (dataset,) = records("dcat_ckan_dataset_multilingual.json")
    assert dataset.title == "Test DCAT dataset"
    assert "{" not in dataset.title
    assert dataset.translations["title"]["ca"] == "Conjunt de dades de prova DCAT"


def test_json_ld_with_a_graph_is_read_as_dcat() -> None:
    (dataset,) = records("dcat_catalog_with_at_graph.jsonld")
    assert dataset.title == "Title dataset"
    assert dataset.identifier.startswith("https://ckan.example.org/dataset/d4ce4e6e")


def test_turtle_that_does_not_parse_is_refused_naming_the_line() -> None:
    with pytest.raises(CatalogueImportError) as caught:
        records("dcat_dataset.ttl")  # the published example has "^^<<http" on its line 158
    assert "The RDF could not be read (turtle): at line 158" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"help": "https://x/api/3/action/help_show", "success": false, "error": '
            b'{"message": "Not found", "__type": "Not Found Error"}}',
            "The portal answered with an error, not datasets: Not Found Error — Not found.",
        ),
        (
            hostile.empty_objects(),
            "This JSON list holds 1,000,000 items, but they are not datasets",
        ),
        (b'[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]', "they are not datasets"),
    ],
)
def test_ckan_errors_and_lists_that_are_no_catalogue_are_refused(
    content: bytes, message: str
) -> None:
    with pytest.raises(CatalogueImportError) as caught:
        read_catalogue(content, "x.json")
    assert message in str(caught.value)


def test_a_ckanapi_dump_in_json_lines_is_read_with_its_portal() -> None:
    data = (FILES / "birmingham_package_search.json").read_bytes()
    packages = json.loads(data)["result"]["results"]
    lines = "\n".join(json.dumps(p) for p in packages).encode()
    catalogue = read_catalogue(lines, "birmingham.jsonl")
    assert catalogue.kind == "ckan"
    assert len(catalogue.records) == 10
    assert catalogue.records[0].landing_page == (
        "https://data.birmingham.gov.uk/dataset/purchase-card-transactions"
    )
    assert catalogue.notes == (
        "Read 10 packages of a ckanapi dump from https://data.birmingham.gov.uk.",
    )


def test_javascript_landing_pages_are_not_stored() -> None:
    content = (
        b'{"dataset": [{"title": "Bad link", "identifier": "x1", "description": "d",'
        b' "landingPage": "javascript:alert(1)", "distribution": [{"downloadURL":'
        b' "javascript:alert(2)", "format": "CSV"}]}]}'
    )
    (record,) = read_catalogue(content, "x.json").records
    assert record.landing_page == ""
    assert record.distributions[0]["url"] == ""


def test_oddly_typed_json_is_refused_or_read_never_a_traceback() -> None:
    try:
        catalogue = read_catalogue(hostile.oddly_typed_catalogue(), "odd.json")
    except CatalogueImportError as error:
        assert "has no title" in str(error)
    else:
        assert all(isinstance(r.title, str) for r in catalogue.records)

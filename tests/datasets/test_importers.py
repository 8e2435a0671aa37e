"""Catalogue files in their real shapes: CSV, CKAN package_search / package_show, data.json."""

from pathlib import Path

import pytest

from insights.datasets.importers import MAX_IMPORT_BYTES, CatalogueImportError, read_catalogue

FILES = Path(__file__).resolve().parents[1] / "data" / "datasets"


def read(name: str):  # type: ignore[no-untyped-def]
    """Read one of the test catalogue files."""
    catalogue = read_catalogue((FILES / name).read_bytes(), name)
    return catalogue.kind, list(catalogue.records)


def test_ckan_package_search_gives_every_result_with_its_organisation_and_tags() -> None:
    kind, records = read("ckan_package_search.json")
    assert kind == "ckan"
    assert [r.title for r in records] == [
        "London Borough Profiles",
        "Mutual aid groups in London",
        "Ward Profiles and Atlas",
    ]
    profiles = records[0]
    assert profiles.publisher == "Greater London Authority"
    assert profiles.keywords == ["borough profile", "demographics", "population"]
    assert profiles.granularity == "borough"
    assert profiles.update_frequency == "Annually"
    assert profiles.landing_page == "https://data.london.gov.uk/dataset/london-borough-profiles"
    assert profiles.extra["ckan_name"] == "london-borough-profiles"
    assert records[2].granularity == "ward"


def test_ckan_package_show_gives_its_one_dataset() -> None:
    kind, records = read("ckan_package_show.json")
    assert kind == "ckan"
    assert len(records) == 1
    assert records[0].publisher == "Department for Culture, Media and Sport"
    assert records[0].spatial_coverage == "England"


def test_data_json_catalogue_reads_publisher_keywords_access_and_landing_page() -> None:
    kind, records = read("data.json")
    assert kind == "dcat"
    grants, centres = records
    assert grants.publisher == "London Borough of Camden"
    assert grants.keywords == ["grants", "voluntary sector", "360Giving"]
    assert grants.landing_page == "https://opendata.camden.gov.uk/grants-2022-23"
    assert centres.access == "restricted"
    assert centres.landing_page == "https://opendata.camden.gov.uk/community-centres"


def test_a_360giving_registry_list_reads_as_dcat() -> None:
    kind, records = read("360giving_registry.json")
    assert kind == "dcat"
    assert records[0].publisher == "Trust for London"
    assert records[0].landing_page == "https://trustforlondon.org.uk/data/grants/"
    assert records[0].licence.startswith("Creative Commons Attribution 4.0")


def test_csv_maps_url_tags_and_granularity_words() -> None:
    kind, records = read("catalogue.csv")
    assert kind == "csv"
    directory, register, food = records
    assert directory.landing_page == "https://hcvs.org.uk/directory"
    assert directory.keywords == ["directory", "community groups", "unregistered"]
    assert food.granularity == "ward"
    assert food.spatial_coverage == "Lambeth"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing_title.csv", "Rows without a title: line 3"),
        ("no_title_column.csv", "needs a 'title' column"),
        ("ckan_missing_title.json", "Entry 2 has no title"),
        ("truncated.json", "not valid JSON"),
    ],
)
def test_invalid_files_are_refused_with_a_clear_message(name: str, message: str) -> None:
    with pytest.raises(CatalogueImportError, match=message):
        read(name)


def test_json_that_is_no_catalogue_is_refused() -> None:
    with pytest.raises(CatalogueImportError, match="neither a CKAN API response"):
        read_catalogue(b'{"hello": "world"}', "other.json")


def test_files_over_ten_megabytes_are_refused() -> None:
    with pytest.raises(CatalogueImportError, match="larger than 10 MB, the limit"):
        read_catalogue(b"title\n" + b"x" * MAX_IMPORT_BYTES, "big.csv")


def test_a_csv_saved_by_excel_in_windows_1252_is_read() -> None:
    content = "title,publisher\nCaf\xe9 grants \xa3,Someone\n".encode("cp1252")
    records = read_catalogue(content, "excel.csv").records
    assert records[0].title == "Café grants £"

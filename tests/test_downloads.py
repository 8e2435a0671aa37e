"""Every download says its content type once, names its file so any browser keeps the name,
and is not kept by caches unless it is public."""

from insights.core.downloads import CONTENT_TYPES, attachment, disposition


def test_a_text_download_says_its_charset_once() -> None:
    response = attachment(b"a,b\r\n", "needs.csv", CONTENT_TYPES["csv"])
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    assert response.headers["Content-Disposition"] == 'attachment; filename="needs.csv"'
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_binary_download_has_no_charset_and_a_public_one_may_be_cached() -> None:
    response = attachment(b"PK", "data.xlsx", CONTENT_TYPES["xlsx"], private=False)
    assert "charset" not in response.headers["Content-Type"]
    assert response.headers["Cache-Control"].startswith("public")


def test_a_name_beyond_ascii_keeps_an_ascii_fallback_and_its_own_spelling() -> None:
    header = disposition('Café "round-up".pdf')
    assert header.startswith('attachment; filename="Cafe round-up.pdf"; ')
    assert header.endswith("filename*=UTF-8''Caf%C3%A9%20%22round-up%22.pdf")

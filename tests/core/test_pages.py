"""Long lists a page at a time: the page number is read safely, pages hold the right rows and
the true total, and links to other pages keep the filters."""

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.core.pages import MAX_PAGE, page_number, page_url, paginate
from insights.extensions import db
from insights.statements.models import Statement
from tests.factories import make_statement, make_workshop


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        ("", 1),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("2.5", 1),
        ("١٢", 1),  # Arabic-Indic digits are decimal to Python, not to us
        (" 4 ", 4),
        ("999999999999999999999", MAX_PAGE),
        (str(MAX_PAGE + 1), MAX_PAGE),
    ],
)
def test_page_number_is_a_bounded_whole_number(value: str, expected: int) -> None:
    assert page_number({"page": value}) == expected


def test_page_number_is_one_when_not_asked() -> None:
    assert page_number({}) == 1


def test_a_page_holds_its_rows_and_the_true_total(app: Flask) -> None:
    workshop = make_workshop(db.session, "Pages")
    for n in range(25):
        make_statement(db.session, workshop, f"post-it {n:02d}")
    query = (
        sa.select(Statement).where(Statement.workshop_id == workshop.id).order_by(Statement.text)
    )
    second = paginate(db.session, query, 2, 10)
    assert [s.text for s in second.items] == [f"post-it {n:02d}" for n in range(10, 20)]
    assert (second.total, second.pages, second.first_index, second.last_index) == (25, 3, 11, 20)
    assert second.has_previous and second.has_next


def test_a_page_past_the_end_is_the_last_page(app: Flask) -> None:
    workshop = make_workshop(db.session, "Pages")
    for n in range(5):
        make_statement(db.session, workshop, f"post-it {n}")
    query = sa.select(Statement).where(Statement.workshop_id == workshop.id).order_by(Statement.id)
    last = paginate(db.session, query, MAX_PAGE, 2)
    assert (last.number, len(last.items), last.has_next) == (3, 1, False)


def test_an_empty_list_is_one_empty_page(app: Flask) -> None:
    query = sa.select(Statement).where(Statement.workshop_id == -1)
    page = paginate(db.session, query, 7, 10)
    assert (page.number, page.pages, page.total, page.items) == (1, 1, 0, [])


def test_page_url_keeps_every_other_argument(app: Flask) -> None:
    with app.test_request_context("/workshops/w/board?kind=need&theme=volunteering&page=3"):
        assert page_url(4) == "/workshops/w/board?kind=need&theme=volunteering&page=4"
        assert page_url(1) == "/workshops/w/board?kind=need&theme=volunteering"

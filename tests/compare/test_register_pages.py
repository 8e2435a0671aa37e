"""The needs register a hundred needs at a time, the workshops and standing kept between pages."""

import re
from string import ascii_lowercase

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from tests.factories import log_in, make_statement, make_workshop


def made_up_word(n: int) -> str:
    """A word of its own for each n, so no two needs are grouped as one."""
    return "".join(ascii_lowercase[int(d)] for d in f"{n:03d}") + "qz"


def test_the_register_pages_through_every_need(client: FlaskClient, users: dict[str, User]) -> None:
    workshop = make_workshop(db.session, "Many needs", users["member"], slug="many")
    words = [made_up_word(n) for n in range(105)]
    for word in words:
        make_statement(db.session, workshop, f"{word} {word}ish {word}ness", "need")
    db.session.commit()
    log_in(client, users["member"].email)
    first = client.get("/compare/needs?w=many").get_data(as_text=True)
    second = client.get("/compare/needs?w=many&page=2").get_data(as_text=True)

    def rows(page: str) -> set[str]:
        return set(re.findall(r"“(\w+qz) ", page))

    assert len(rows(first)) == 100 and len(rows(second)) == 5
    assert rows(first) | rows(second) == set(words)
    assert "101–105 of 105 needs" in second
    assert 'href="/compare/needs?w=many&amp;page=2"' in first
    for value in ("-1", "abc", "999999999999999999999"):
        assert client.get(f"/compare/needs?w=many&page={value}").status_code == 200

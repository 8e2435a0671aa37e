"""The same need raised in several workshops is one need of the network: grouped with every
wording, counted by workshop, borough and organisation type, and marked shared, unique or new
since the last workshop."""

import re
from datetime import date

import pytest
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.compare.charts import FONT_PX, share_heatmap
from insights.compare.register import Register, build_register
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.workshops.models import Workshop
from nlp.similarity import group_similar
from tests.factories import log_in, make_statement, make_workshop


def need(workshop: Workshop, text: str, org: Organisation | None = None) -> None:
    """A need post-it from an organisation."""
    statement = make_statement(db.session, workshop, text, "need")
    statement.organisation_id = org.id if org else None


@pytest.fixture
def two_workshops(app: object, users: dict[str, User]) -> tuple[Workshop, Workshop]:
    """September's directors' workshop and November's follow-up, with one need in common."""
    hackney = Organisation(name="Hackney CVS", type="cvs", borough_code="E09000012")
    camden = Organisation(name="Camden Council", type="local-authority", borough_code="E09000007")
    db.session.add_all([hackney, camden])
    people = (users["facilitator"], users["lead"], users["member"])
    first = make_workshop(db.session, "Directors", *people, date=date(2021, 9, 16), slug="sep")
    follow = make_workshop(db.session, "Follow-up", *people, date=date(2021, 11, 18), slug="nov")
    db.session.flush()
    need(first, "We need borough-level volunteering data to compare with our neighbours", hackney)
    need(first, "Ward-level deprivation data to target support")
    need(follow, "Volunteering figures for each borough, so we can compare boroughs", camden)
    need(follow, "A list of unregistered community groups in the area", camden)
    db.session.commit()
    return first, follow


def by_title(register: Register, words: str) -> object:
    """The register's need whose wordings include these words."""
    return next(n for n in register.needs if any(words in w.text for w in n.wordings))


def test_the_same_need_in_two_workshops_is_one_need_with_both_wordings(
    two_workshops: tuple[Workshop, Workshop],
) -> None:
    register = build_register(db.session, list(two_workshops))
    assert register.workshops == ["Directors (Sep 2021)", "Follow-up (Nov 2021)"]
    volunteering = by_title(register, "volunteering data")
    assert volunteering.standing == "shared"
    assert {w.text[:20] for w in volunteering.wordings} == {
        "We need borough-leve",
        "Volunteering figures",
    }
    assert volunteering.workshops == {"Directors (Sep 2021)": 1, "Follow-up (Nov 2021)": 1}
    assert volunteering.boroughs == {"Hackney": 1, "Camden": 1}
    assert volunteering.org_types == {"cvs": 1, "local authority": 1}
    assert register.needs[0] is volunteering  # shared needs first
    assert by_title(register, "unregistered").standing == "new"
    assert by_title(register, "deprivation").standing == "unique"
    assert len(register.needs) == 3
    assert (register.count("shared"), register.count("new"), register.count("unique")) == (1, 1, 1)


def test_unrelated_needs_stay_apart_and_every_text_is_in_one_group() -> None:
    texts = [
        "Borough-level volunteering data",
        "Volunteer numbers in each borough",
        "Where grant funding goes",
        "Training for staff on spreadsheets",
    ]
    groups = group_similar(texts)
    assert sorted(i for g in groups for i in g.members) == [0, 1, 2, 3]
    assert {frozenset(g.members) for g in groups} == {
        frozenset({0, 1}),
        frozenset({2}),
        frozenset({3}),
    }
    assert group_similar([]) == []


def test_the_register_page_shows_every_wording_and_the_filters(
    client: FlaskClient, two_workshops: tuple[Workshop, Workshop], users: dict[str, User]
) -> None:
    log_in(client, users["member"].email)
    page = client.get("/compare/needs").get_data(as_text=True)
    assert "We need borough-level volunteering data" in page
    assert "Volunteering figures for each borough" in page
    assert "2 wordings as evidence" in page
    assert "Shared by several workshops (1)" in page and "New since the last workshop (1)" in page
    shared = client.get("/compare/needs?standing=shared").get_data(as_text=True)
    assert "Volunteering figures" in shared and "deprivation" not in shared
    assert client.get("/compare/needs?standing=bogus").status_code == 404
    compare_page = client.get("/compare/").get_data(as_text=True)
    assert "The same need across workshops" in compare_page
    assert "1 were raised at more than one workshop" in compare_page


def test_people_outside_the_workshops_see_none_of_their_needs(
    client: FlaskClient, two_workshops: tuple[Workshop, Workshop]
) -> None:
    from tests.factories import make_user

    stranger = make_user(db.session, "member", "stranger@example.test")
    db.session.commit()
    log_in(client, stranger.email)
    page = client.get("/compare/needs").get_data(as_text=True)
    assert "volunteering" not in page.lower()
    assert client.get("/compare/needs?w=sep").status_code == 404


def test_the_heatmap_at_33_boroughs_grows_down_and_keeps_its_text_readable() -> None:
    themes = [(f"t{i}", f"Theme {i}") for i in range(13)]
    boroughs = [f"Borough {i}" for i in range(33)]
    shares = {b: {"t0": 0.5, "t3": 0.25} for b in boroughs}
    chart = str(share_heatmap(themes, boroughs, shares, "Theme shares by borough"))
    width = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', chart).group(1))
    row_labels = re.findall(r'text-anchor="end">([^<]+)</text>', chart)
    assert row_labels == boroughs  # boroughs down the side, the 13 themes across
    assert width <= 1400  # fits a laptop screen without shrinking
    assert 'class="chart heatmap"' in chart and f'font-size="{FONT_PX}"' in chart
    assert FONT_PX >= 11


def test_the_register_downloads_read_back_with_pandas_and_openpyxl(
    client: FlaskClient, two_workshops: tuple[Workshop, Workshop], users: dict[str, User]
) -> None:
    import io

    import pandas as pd
    from openpyxl import load_workbook

    log_in(client, users["lead"].email)
    response = client.get("/compare/needs/export?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    frame = pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig")
    first = frame.iloc[0]
    assert first["standing"] == "shared" and first["workshops"] == 2 and first["wordings"] == 2
    assert "Hackney: 1" in first["by_borough"] and "Camden: 1" in first["by_borough"]
    xlsx = client.get("/compare/needs/export?format=xlsx&w=sep&w=nov")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Needs", "Wordings"]
    wordings = list(book["Wordings"].values)
    assert len(wordings) == 1 + 4 and wordings[0][:3] == ("need", "wording", "workshop")
    cells = [c for row in book["Needs"].iter_rows() for c in row]
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in cells)
    assert client.get("/compare/needs/export?format=pdf").status_code == 404


def test_the_command_line_writes_the_register(
    two_workshops: tuple[Workshop, Workshop],
    runner,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "register.csv"
    result = runner.invoke(
        args=["compare", "needs", "--workshop", "sep", "--workshop", "nov", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 3 needs (1 shared)" in result.output and out.read_bytes().startswith(
        b"\xef\xbb\xbf"
    )
    missing = runner.invoke(args=["compare", "needs", "--workshop", "nope", "--out", str(out)])
    assert missing.exit_code != 0 and "nope" in missing.output


def test_the_two_demo_workshops_share_needs_said_in_their_own_words(app: object) -> None:
    from insights.demo.services import load_demo_workshops

    september, november = load_demo_workshops(db.session)
    db.session.commit()
    register = build_register(db.session, [november, september])
    assert register.workshops[0].startswith("Data about the sector (Sep 2021)")
    shared = [need for need in register.needs if need.shared]
    assert len(shared) >= 3, [n.title for n in register.needs]
    volunteering = by_title(register, "borough-level volunteering data")
    assert volunteering.shared
    said_where = {w.workshop_id for w in volunteering.wordings}
    assert said_where == {september.id, november.id}
    assert any("equality" in w.text for w in volunteering.wordings)  # November's own words
    unregistered = by_title(register, "unregistered community groups")
    assert unregistered.shared and len(unregistered.wordings) >= 2
    assert register.count("new") >= 1  # November raised things September did not

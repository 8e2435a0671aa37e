"""A real whiteboard export in: a Trello board's JSON, one post-it per card, nothing lost.

tests/data/postits/trello_weekly_sprint_board.json is Ryan Himmelwright's "Weekly Sprint"
board as Trello exported it (AGPL-3.0, from himmAllRight/trello-notes; see
tests/data/SOURCES.md): 20 open cards in four lists, coloured labels, descriptions,
checklists and comments.
"""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from insights.extensions import db
from insights.ingest.boards import read_postit_file
from insights.ingest.problems import ImportRejected
from insights.statements.import_mapping import guess
from insights.statements.imports import import_file, plan_for
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import make_workshop

BOARD = Path(__file__).resolve().parents[1] / "data" / "postits" / "trello_weekly_sprint_board.json"


@pytest.fixture
def workshop(app: Flask) -> Workshop:
    """A committed workshop with the five template exercises."""
    workshop = make_workshop(db.session, "Weekly sprint retrospective")
    db.session.commit()
    return workshop


def board_import(workshop: Workshop):  # type: ignore[no-untyped-def]
    """Import the real board export as ideas."""
    plan = plan_for(db.session, workshop, kind="idea")
    report = import_file(db.session, plan, BOARD.read_bytes(), BOARD.name)
    db.session.commit()
    return report


def stored() -> dict[str, Statement]:
    """Every statement, by its text."""
    return {s.text: s for s in db.session.scalars(sa.select(Statement).order_by(Statement.id))}


def test_the_trello_board_is_read_one_row_per_card_and_recognised() -> None:
    table = read_postit_file(BOARD.read_bytes(), BOARD.name)
    assert len(table.frame) == 20
    assert table.notes == (
        "Read the Trello board 'Weekly Sprint': one post-it per card.",
        "Not read from the board: card positions, stickers, cover images, custom fields and "
        "activity other than card creation and comments.",
    )
    guessed = guess(table.headers, table.frame)
    assert guessed.tool == "Trello"
    assert {c: f for c, f in guessed.columns.items() if f != "note"} == {
        "Card name": "text",
        "List": "group",
        "Label colour": "colour",
        "Votes": "votes",
        "Created by": "author",
        "Created": "date",
    }


def test_every_card_becomes_a_post_it_with_its_list_colour_and_notes(workshop: Workshop) -> None:
    report = board_import(workshop)
    assert (report.added, report.skipped_blank, report.skipped_duplicates) == (20, 0, 0)
    statements = stored()
    assert len(statements) == 20
    ssh = statements["Forward ssh connections to gitlab.himmelwright.net"]
    assert (ssh.board_group, ssh.colour, ssh.votes) == ("Backlog", "sky", 0)
    assert ssh.author_name == "Ryan Himmelwright"
    assert ssh.kind == "idea"
    assert ssh.said_on is not None and ssh.said_on.date().isoformat() == "2019-04-03"
    assert ssh.notes["Labels"] == "IT/Linux Stuff"
    assert ssh.notes["Description"].startswith("I have the router forwarding web (port 80)")
    assert ssh.notes["Card URL"] == "https://trello.com/c/Wd2N7qSs"
    meeting = statements["Code For Durham Meeting"]
    assert meeting.notes["Members"] == "Ryan Himmelwright"
    assert meeting.notes["Due"] == "2019-04-02T21:30:00.000Z"
    research = statements["Research Trello System?"]
    assert (research.board_group, research.colour) == ("Working On", "green")
    assert research.notes["Comments"].startswith("Ryan Himmelwright: Tried setting up the vim")
    assert research.notes["Checklist items"].startswith("[x] research alternatives\n")
    # a copied card names its copier as the author, and keeps its own creation time
    workout = statements["Work Out #3"]
    assert (workout.board_group, workout.colour, workout.author_name) == (
        "This Week",
        "red",
        "Ryan Himmelwright",
    )
    assert sorted({s.board_group for s in statements.values()}) == [
        "Backlog",
        "Done",
        "This Week",
        "Working On",
    ]


def test_importing_the_same_board_twice_doubles_nothing(workshop: Workshop) -> None:
    first = board_import(workshop)
    second = board_import(workshop)
    assert first.added == 20
    assert (second.added, second.skipped_duplicates) == (0, 20)
    assert len(stored()) == 20


def test_archived_cards_and_lists_are_left_out_and_counted() -> None:
    board = json.loads(BOARD.read_bytes())
    board["cards"][0]["closed"] = True  # archived, as Trello marks it
    done = next(item for item in board["lists"] if item["name"] == "Done")
    done["closed"] = True  # an archived list: its five cards go too
    table = read_postit_file(json.dumps(board).encode(), BOARD.name)
    in_done = sum(1 for card in board["cards"] if card["idList"] == done["id"])
    assert in_done == 5
    assert len(table.frame) == 20 - 1 - in_done
    assert f"{1 + in_done} archived card(s) were left out." in table.notes
    assert "Forward ssh connections to gitlab.himmelwright.net" not in set(table.frame["Card name"])


def test_members_votes_on_a_card_become_its_plus_ones(workshop: Workshop) -> None:
    # The real board had voting off; two members' votes are added to one of its cards as
    # Trello records them (the voters' member ids), the rest of the file unchanged.
    board = json.loads(BOARD.read_bytes())
    card = next(c for c in board["cards"] if c["name"] == "Time Blocking")
    card["idMembersVoted"] = [member["id"] for member in board["members"]][:1] + ["5c9a1b2e"]
    plan = plan_for(db.session, workshop, kind="idea")
    import_file(db.session, plan, json.dumps(board).encode(), BOARD.name)
    db.session.commit()
    statements = stored()
    assert statements["Time Blocking"].votes == 2
    assert statements["Review Weekly Sprint"].votes == 0


def test_a_json_file_that_is_not_a_board_is_refused_naming_what_is_read() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_postit_file(b'{"result": {"results": []}}', "package_search.json")
    assert "not a Trello board export" in str(caught.value)
    assert "CSV or XLSX" in str(caught.value)


def test_the_cli_imports_the_board(runner: FlaskCliRunner, workshop: Workshop) -> None:
    result = runner.invoke(
        args=[
            "statements",
            "import",
            str(BOARD),
            "--workshop",
            workshop.slug,
            "--kind",
            "idea",
            "--no-tag",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Recognised a Trello export." in result.output
    assert len(stored()) == 20

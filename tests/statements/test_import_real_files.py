"""Real exports in: a Google Forms survey with blank answers, question headers and US dates.

tests/data/postits/autistica_google_form_responses.csv is the Autistica/Turing Citizen Science
Platform's published Google Forms export (CC BY 4.0; see tests/data/SOURCES.md).
"""

from datetime import UTC
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.extensions import db
from insights.ingest.problems import ImportRejected
from insights.ingest.reading import read_table
from insights.statements.import_mapping import guess
from insights.statements.imports import import_file, plan_for
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import make_workshop

SURVEY = (
    Path(__file__).resolve().parents[1] / "data" / "postits" / "autistica_google_form_responses.csv"
)
QUESTION = (
    "Q1: What information would you like us to know about your needs, priorities, desires and "
    "concerns for the citizen science platform?"
)


@pytest.fixture
def workshop(app: Flask) -> Workshop:
    """A committed workshop with the five template exercises."""
    workshop = make_workshop(db.session, "Citizen science platform")
    db.session.commit()
    return workshop


def survey_import(workshop: Workshop, **choices: str):  # type: ignore[no-untyped-def]
    """Import the real survey export with the given choices (kind, dates)."""
    plan = plan_for(
        db.session, workshop, kind=choices.get("kind", "need"), date_order=choices.get("dates")
    )
    report = import_file(db.session, plan, SURVEY.read_bytes(), SURVEY.name)
    db.session.commit()
    return report


def stored() -> list[Statement]:
    """Every statement, in the order stored."""
    return list(db.session.scalars(sa.select(Statement).order_by(Statement.id)))


def test_the_google_forms_export_is_recognised_and_its_longest_question_is_the_text() -> None:
    table = read_table(SURVEY.read_bytes(), SURVEY.name)
    guessed = guess(table.headers, table.frame)
    assert guessed.tool == "Google Forms"
    assert guessed.columns[QUESTION] == "text"
    assert guessed.columns["Timestamp"] == "date"
    assert guessed.columns["Q2: Do you have a personal connection to autism?"] == "note"


def test_month_first_dates_are_a_question_not_a_silent_guess(workshop: Workshop) -> None:
    with pytest.raises(ImportRejected) as caught:
        survey_import(workshop)
    db.session.rollback()
    assert [p.message for p in caught.value.problems] == [
        "The dates in this file are written month first (US), such as '8/21/2019 13:10:31': "
        "choose “month first” for the dates (on the command line: --dates mdy)."
    ]
    assert stored() == []


def test_the_survey_imports_every_answer_skipping_and_counting_the_blank_ones(
    workshop: Workshop,
) -> None:
    report = survey_import(workshop, dates="mdy")
    assert (report.added, report.skipped_blank, report.skipped_duplicates) == (28, 14, 0)
    statements = stored()
    assert len(statements) == 28
    first = statements[0]
    assert first.text.startswith("I would like to know what the project can offer.")
    assert first.kind == "need"
    assert first.said_on is not None
    assert first.said_on.replace(tzinfo=UTC).isoformat() == "2019-08-21T12:10:31+00:00"  # BST
    consent = "I understand that the information I provide in this form will be made publicly "
    use = "Q3: Can we use the information above to inform how we design and build the platform?"
    assert first.notes == {
        consent + "available.": "Yes",
        "Q2: Do you have a personal connection to autism?": "I am autistic",
        use: "Yes",
    }
    longest = max(len(s.text) for s in statements)
    assert longest == 1_433  # the longest answer is kept whole (less its trailing space)
    # six people wrote the same words: six post-its, nothing distinct merged
    assert sum(1 for s in statements if s.text == "To document peoples experience") == 6


def test_importing_the_same_survey_twice_doubles_nothing(workshop: Workshop) -> None:
    first = survey_import(workshop, dates="mdy")
    second = survey_import(workshop, dates="mdy")
    assert first.added == 28
    assert (second.added, second.skipped_duplicates, second.skipped_blank) == (0, 28, 14)
    assert "28 already in the workshop, skipped" in second.lines()
    assert len(stored()) == 28


def test_a_reimport_with_one_new_answer_adds_only_that_one(workshop: Workshop) -> None:
    survey_import(workshop, dates="mdy")
    data = SURVEY.read_bytes() + b"\n2/2/2021 10:00:00,Yes,One more answer,I am autistic,Yes\n"
    plan = plan_for(db.session, workshop, kind="need", date_order="mdy")
    report = import_file(db.session, plan, data, SURVEY.name)
    assert (report.added, report.skipped_duplicates) == (1, 28)

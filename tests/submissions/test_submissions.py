"""Submissions: validation in words, all or nothing, mapping remembered, replacing confirmed."""

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.extensions import db
from insights.submissions.models import ColumnMapping, Submission, SubmissionRow
from insights.submissions.services import Slot, confirm_replacement, process, start
from insights.submissions.validation import SubmissionRejected
from tests.factories import make_user
from tests.standards.builders import filled_csv, published_standard

HACKNEY = "E09000012"


def upload(
    version,
    data: bytes,
    organisation: str = "Hackney CVS",
    year: int = 2024,
    borough: str = HACKNEY,
    **options,
):  # type: ignore[no-untyped-def]
    """Start and process a submission, as the upload page does."""
    submission = start(
        db.session, Slot(version, borough, year), organisation, None, (data, "survey.csv")
    )
    return process(db.session, submission, **options)


def test_a_valid_file_is_stored_whole_with_its_answers_added_up(app: Flask) -> None:
    _, _, version = published_standard(db.session, make_user(db.session, "lead"))
    outcome = upload(version, filled_csv(version, "Hackney", 12))
    assert outcome.state == "accepted"
    submission = outcome.submission
    assert submission.status == "current" and submission.response_count == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionRow)) == 12
    assert sum(submission.aggregates["income_band"]["counts"].values()) == 12
    assert "organisation_identifier" not in submission.aggregates  # identifying: never pooled


def test_a_file_with_errors_is_refused_whole_naming_each_row_and_column(app: Flask) -> None:
    _, _, version = published_standard(db.session, make_user(db.session, "lead"))
    lines = filled_csv(version, "Hackney", 6).decode().splitlines()
    header = lines[0].split(",")
    bad = lines[3].split(",")
    bad[header.index("paid_staff")] = "twelve"
    lines[3] = ",".join(bad)
    worse = lines[5].split(",")
    worse[header.index("income_band")] = "loads"
    lines[5] = ",".join(worse)
    with pytest.raises(SubmissionRejected) as caught:
        upload(version, "\n".join(lines).encode())
    messages = [str(problem) for problem in caught.value.problems]
    assert "row 4, column 'paid_staff': “twelve” is not a whole number." in messages
    assert any(
        m.startswith("row 6, column 'income_band': “loads” is not one of the allowed values")
        for m in messages
    )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionRow)) == 0


def test_a_blank_required_cell_is_named(app: Flask) -> None:
    _, _, version = published_standard(db.session, make_user(db.session, "lead"))
    lines = filled_csv(version, "Hackney", 3).decode().splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index("volunteers")] = ""
    lines[2] = ",".join(row)
    with pytest.raises(SubmissionRejected) as caught:
        upload(version, "\n".join(lines).encode())
    assert [str(p) for p in caught.value.problems] == [
        "row 3, column 'volunteers': Volunteers is required: this row leaves it blank."
    ]


def test_own_headings_wait_for_a_mapping_that_is_remembered_for_next_year(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    own = {"paid_staff": "Staff headcount", "volunteers": "How many volunteers?"}
    data = filled_csv(version, "Hackney", 8, headers=own)
    outcome = upload(version, data, year=2023)
    assert outcome.state == "needs-mapping"
    assert set(outcome.mapping.missing) == {"paid_staff", "volunteers"}
    choices = {"Staff headcount": "paid_staff", "How many volunteers?": "volunteers"}
    assert process(db.session, outcome.submission, choices=choices).state == "accepted"
    saved = db.session.get(ColumnMapping, (outcome.submission.organisation_id, standard.id))
    assert saved is not None and saved.columns == choices
    next_year = upload(version, filled_csv(version, "Hackney", 8, seed=2, headers=own), year=2024)
    assert next_year.state == "accepted"


def test_a_second_submission_replaces_the_first_only_once_confirmed_keeping_history(
    app: Flask,
) -> None:
    _, _, version = published_standard(db.session, make_user(db.session, "lead"))
    first = upload(version, filled_csv(version, "Hackney", 10)).submission
    db.session.commit()
    with pytest.raises(SubmissionRejected, match="already submitted"):
        upload(version, filled_csv(version, "Hackney", 11, seed=3), organisation="Someone else")
    db.session.rollback()
    second = upload(version, filled_csv(version, "Hackney", 11, seed=3), may_replace=True)
    assert second.state == "needs-confirmation" and second.replaces.id == first.id
    assert first.status == "current"
    old = confirm_replacement(db.session, second.submission)
    assert (
        old.id == first.id
        and old.status == "replaced"
        and old.replaced_by_id == second.submission.id
    )
    statuses = db.session.execute(
        sa.select(Submission.id, Submission.status).order_by(Submission.id)
    ).all()
    assert [s for _, s in statuses] == ["replaced", "current"]
    # the old rows are kept as history
    kept = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SubmissionRow)
        .where(SubmissionRow.submission_id == first.id)
    )
    assert kept == 10


def test_a_draft_version_an_unknown_borough_or_year_is_refused(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    with pytest.raises(SubmissionRejected, match="borough"):
        upload(version, filled_csv(version, "Hackney", 2), borough="X")
    with pytest.raises(SubmissionRejected, match="year"):
        upload(version, filled_csv(version, "Hackney", 2), year=1066)


def test_counts_already_added_up_pool_like_rows_and_bad_ones_are_named(app: Flask) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    lines = [
        "field,value,count",
        "organisations_responding,,30",
        "income_band,under-10k,18",
        "income_band,10k-100k,12",
        "paid_staff,responses,30",
        "paid_staff,total,240",
    ]
    data = "\n".join(lines).encode()
    slot = Slot(version, HACKNEY, 2024)
    submission = start(db.session, slot, "Hackney CVS", None, (data, "totals.csv"), "aggregates")
    assert process(db.session, submission).state == "accepted"
    assert submission.response_count == 30
    assert submission.aggregates["income_band"]["counts"] == {"under-10k": 18, "10k-100k": 12}
    assert submission.aggregates["paid_staff"] == {
        "kind": "numeric",
        "responses": 30,
        "total": 240.0,
    }
    wrong = "\n".join(
        [
            *lines[:2],
            "income_band,loads,3",
            "charity_number,responses,2",
            "volunteers,responses,2.5",
        ]
    )
    bad = start(
        db.session,
        Slot(version, HACKNEY, 2023),
        "Hackney CVS",
        None,
        (wrong.encode(), "t.csv"),
        "aggregates",
    )
    with pytest.raises(SubmissionRejected) as caught:
        process(db.session, bad)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith("row 4, column 'field': “charity_number” is not a field") for m in messages
    )
    with pytest.raises(SubmissionRejected) as caught:
        good_fields = "\n".join([*lines[:2], "income_band,loads,3", "volunteers,responses,2.5"])
        process(
            db.session,
            start(
                db.session,
                Slot(version, HACKNEY, 2022),
                "Hackney CVS",
                None,
                (good_fields.encode(), "t.csv"),
                "aggregates",
            ),
        )
    messages = [str(p) for p in caught.value.problems]
    assert (
        "row 3, column 'value': “loads” is not one of the allowed values of income_band: "
        "none, under-10k, 10k-100k, 100k-1m, 1m-10m, over-10m." in messages
    )
    assert "row 4, column 'value': 2.5 is not a whole number of organisations." in messages

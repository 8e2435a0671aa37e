"""Findings: a lead of one network read another network's post-its through the next-step
conflict page; a private "collected" post-it made into a dataset reached the global catalogue,
graph data and GraphML; the graph export and the capture, owner and holder lists named every
organisation of every workshop."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.datasets.models import Dataset
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.organisations.models import Organisation
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_user, make_workshop

SECRET = "Theirs only: our members' safeguarding caseload by ward"
HIDDEN_ORG = "Hidden Borough Mutual Aid"
OUTSIDER_NAME = "Ophelia Outsider"


@pytest.fixture
def ours(app: Flask, users: dict[str, User]) -> Workshop:
    """Our workshop: the test facilitator, lead and member belong to it."""
    workshop = make_workshop(
        db.session, "Ours", users["facilitator"], users["lead"], users["member"], status="live"
    )
    db.session.commit()
    return workshop


@pytest.fixture
def theirs(app: Flask) -> dict[str, object]:
    """Another network's workshop, facilitator, member, organisation and private post-its."""
    facilitator = make_user(db.session, "facilitator")
    facilitator.name = OUTSIDER_NAME
    member = make_user(db.session, "member")
    workshop = make_workshop(db.session, "Theirs", facilitator, member, status="live")
    organisation = Organisation(name=HIDDEN_ORG)
    db.session.add(organisation)
    db.session.flush()
    need = make_statement(db.session, workshop, SECRET, "need")
    need.organisation_id = organisation.id
    collected = make_statement(db.session, workshop, SECRET + " (collected)", "collected")
    collected.organisation_id = organisation.id
    private = Dataset(title="Their private list", workshop_id=workshop.id, published=False)
    db.session.add(private)
    db.session.commit()
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "member": member,
        "organisation": organisation,
        "need": need,
        "collected": collected,
        "dataset": private,
    }


def leaks(html: str) -> list[str]:
    """Which of the other network's words a page shows."""
    return [word for word in (SECRET, HIDDEN_ORG, OUTSIDER_NAME, "Their private") if word in html]


def test_the_next_step_conflict_page_shows_nothing_of_another_workshop(
    client: FlaskClient, users: dict[str, User], ours: Workshop, theirs: dict[str, object]
) -> None:
    step = create_next_step(db.session, ours, NextStepInput(title="Ours to do"), users["lead"])
    db.session.commit()
    log_in(client, users["lead"].email)
    url = f"/workshops/{ours.slug}/next-steps/{step.id}/edit"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "title": "Stale edit",
            "status": "proposed",
            "effort": "",
            "impact": "",
            "version": str(step.version - 1),  # someone saved since: the conflict page
            "needs": [str(theirs["need"].id)],  # type: ignore[attr-defined]
            "datasets": [str(theirs["dataset"].id)],  # type: ignore[attr-defined]
            "owner": f"user:{theirs['facilitator'].id}",  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 409
    assert leaks(response.get_data(as_text=True)) == []
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "title": "Stale edit",
            "status": "proposed",
            "effort": "",
            "impact": "",
            "version": "0",
            "owner": f"org:{theirs['organisation'].id}",  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 409
    assert leaks(response.get_data(as_text=True)) == []


def make_dataset_from_collected(client: FlaskClient, theirs: dict[str, object]) -> Dataset:
    """Their facilitator clicks "Make it a dataset" on the private collected post-it."""
    log_in(client, theirs["facilitator"].email)  # type: ignore[attr-defined]
    collected = theirs["collected"]
    page = client.get(f"/datasets/needs/{collected.id}/").get_data(as_text=True)  # type: ignore[attr-defined]
    response = client.post(
        f"/datasets/from-statement/{collected.id}",  # type: ignore[attr-defined]
        data={"csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    dataset = db.session.query(Dataset).filter_by(source_statement_id=collected.id).one()  # type: ignore[attr-defined]
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(page)})
    return dataset


def catalogue_views(client: FlaskClient, dataset: Dataset) -> dict[str, tuple[int, str]]:
    """What a signed-in person gets from every page that could show the dataset."""
    paths = [
        f"/datasets/{dataset.id}/",
        "/datasets/?q=safeguarding",
        "/graph/data.json",
        "/graph/export?format=graphml",
        "/graph/export?format=json",
    ]
    return {
        path: (response.status_code, response.get_data(as_text=True))
        for path in paths
        for response in [client.get(path)]
    }


def test_a_dataset_made_from_a_private_post_it_stays_in_its_workshop_until_published(
    client: FlaskClient, app: Flask, theirs: dict[str, object]
) -> None:
    dataset = make_dataset_from_collected(client, theirs)
    assert dataset.published is False and dataset.workshop_id == theirs["workshop"].id  # type: ignore[attr-defined]
    nobody = make_user(db.session, "member")  # invited to no workshop
    db.session.commit()
    log_in(client, nobody.email)
    seen = catalogue_views(client, dataset)
    assert seen[f"/datasets/{dataset.id}/"][0] == 404
    assert [path for path, (_, body) in seen.items() if SECRET in body] == []

    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    log_in(client, theirs["member"].email)  # type: ignore[attr-defined]
    page = client.get(f"/datasets/{dataset.id}/")
    assert page.status_code == 200 and "Private to Theirs" in page.text

    client.post("/auth/logout", data={"csrf_token": csrf_token_from(page.text)})
    log_in(client, theirs["facilitator"].email)  # type: ignore[attr-defined]
    page = client.get(f"/datasets/{dataset.id}/").text
    assert "Publish to the shared catalogue" in page
    client.post(
        f"/datasets/{dataset.id}/publish",
        data={"csrf_token": csrf_token_from(page), "action": "publish"},
    )
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, nobody.email)
    assert client.get(f"/datasets/{dataset.id}/").status_code == 200


def test_organisation_lists_and_the_graph_export_name_only_visible_workshops(
    client: FlaskClient, users: dict[str, User], ours: Workshop, theirs: dict[str, object]
) -> None:
    mine = Organisation(name="Our Own CVS")
    db.session.add(mine)
    db.session.flush()
    make_statement(db.session, ours, "We need ward data", "need").organisation_id = mine.id
    db.session.commit()
    pages = {
        "facilitator": [f"/workshops/{ours.slug}/capture", "/datasets/new"],
        "lead": [f"/workshops/{ours.slug}/next-steps/new", "/graph/export?format=graphml"],
        "member": ["/graph/export?format=gexf", "/graph/data.json", "/graph/gaps.csv"],
    }
    found = {}
    for role, paths in pages.items():
        log_in(client, users[role].email)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            found[path] = leaks(response.get_data(as_text=True))
        assert "Our Own CVS" in client.get(paths[0]).get_data(as_text=True)
        client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert {path: words for path, words in found.items() if words} == {}

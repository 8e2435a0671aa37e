"""Next-step pages through the test client: who may do what, forms, the conflict page,
weights, the matrix, exports read back, and voting by account and by participant link."""

import io

import pandas as pd
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.models import NextStep, PriorityWeights
from insights.voting.models import Vote, VoteRound
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.factories import csrf_token_from, make_statement
from tests.nextsteps.conftest import add_need, add_step


def token_of(client: FlaskClient, url: str) -> str:
    """A CSRF token from a page."""
    return csrf_token_from(client.get(url).get_data(as_text=True))


def base(workshop: Workshop) -> str:
    return f"/workshops/{workshop.slug}/next-steps"


def test_a_lead_creates_a_step_with_the_form(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    need = add_need(workshop, "Borough-level grants data")
    login("lead")
    token = token_of(client, f"{base(workshop)}/new")
    response = client.post(
        f"{base(workshop)}/new",
        data={
            "csrf_token": token,
            "title": "Map grants by borough",
            "needs": [str(need.id)],
            "status": "proposed",
            "effort": "S",
            "impact": "5",
            "owner": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    step = db.session.scalar(sa.select(NextStep))
    assert step.title == "Map grants by borough" and step.statements[0].id == need.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Map grants by borough" in page and "gap" in page


def test_members_read_and_vote_but_cannot_create_or_close(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    step = add_step(workshop, "Step")
    vote = open_round(db.session, workshop, title="V", next_steps=[step])
    db.session.commit()
    login("member")
    assert client.get(f"{base(workshop)}/").status_code == 200
    assert client.get(f"{base(workshop)}/new").status_code == 403
    token = token_of(client, f"{base(workshop)}/votes/{vote.id}")
    url = f"{base(workshop)}/votes/{vote.id}"
    assert client.post(f"{url}/close", data={"csrf_token": token}).status_code == 403
    client.post(f"{url}/dot", data={"csrf_token": token, "item_id": vote.items[0].id})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 1
    assert "2</strong> of 3 dots left" in client.get(url).get_data(as_text=True)


def test_a_workshop_others_cannot_see_is_not_found(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    from tests.factories import make_workshop

    hidden = make_workshop(db.session, "Hidden")
    db.session.commit()
    login("lead")
    assert client.get(f"{base(hidden)}/").status_code == 404


def test_a_stale_edit_shows_both_versions_and_overwrites_nothing(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    step = add_step(workshop, "Original")
    login("facilitator")
    url = f"{base(workshop)}/{step.id}/edit"
    token = token_of(client, url)
    form = {"csrf_token": token, "status": "proposed", "owner": "", "effort": "", "impact": ""}
    form["version"] = str(step.version)
    assert client.post(url, data={**form, "title": "Theirs"}).status_code == 302
    response = client.post(url, data={**form, "title": "Mine"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this next step first" in page
    assert "Theirs" in page and "Mine" in page
    db.session.expire_all()
    assert db.session.get(NextStep, step.id).title == "Theirs"


def test_delete_then_undo(client: FlaskClient, login, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    step = add_step(workshop, "Step to delete")
    login("lead")
    token = token_of(client, f"{base(workshop)}/{step.id}")
    client.post(f"{base(workshop)}/{step.id}/delete", data={"csrf_token": token})
    page = client.get(f"{base(workshop)}/").get_data(as_text=True)
    assert "Next step deleted" in page and "Undo" in page
    assert 'id="ranking"' not in page
    client.post(f"{base(workshop)}/{step.id}/restore", data={"csrf_token": token})
    assert "Step to delete" in client.get(f"{base(workshop)}/").get_data(as_text=True)


def test_steps_are_made_from_a_post_it_a_gap_and_a_pooling_opportunity(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    idea = make_statement(db.session, workshop, "A shared directory of groups", "idea")
    gap = add_need(workshop, "Data on informal groups")
    login("lead")
    token = token_of(client, f"{base(workshop)}/")
    made = [
        client.post(f"{base(workshop)}/from-statement/{idea.id}", data={"csrf_token": token}),
        client.post(f"{base(workshop)}/from-gap/{gap.id}", data={"csrf_token": token}),
        client.post(
            f"{base(workshop)}/from-pooling",
            data={
                "csrf_token": token,
                "theme": "volunteering",
                "boroughs": ["Barnet", "Camden"],
                "items": ["Barnet volunteer survey", "Camden volunteer survey"],
            },
        ),
    ]
    assert all(r.status_code == 302 and r.headers["Location"].endswith("/edit") for r in made)
    origins = db.session.scalars(sa.select(NextStep.origin).order_by(NextStep.id)).all()
    assert origins == ["statement", "gap", "pooling"]


def test_weights_out_of_range_are_refused_with_a_message(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    login("lead")
    url = f"{base(workshop)}/weights"
    token = token_of(client, url)
    good = {"votes": "3", "needs": "1", "unmet_needs": "2", "organisations": "1"}
    good |= {"boroughs": "1", "impact": "2", "effort": "1", "pairwise": "2", "plus_ones": "1"}
    good["csrf_token"] = token
    response = client.post(url, data={**good, "votes": "11"})
    assert response.status_code == 422
    assert "must be between 0 and 10" in response.get_data(as_text=True)
    assert db.session.get(PriorityWeights, workshop.id) is None
    assert client.post(url, data={**good, "votes": "9"}).status_code == 302
    assert db.session.get(PriorityWeights, workshop.id).weights["votes"] == 9
    assert "×9" in client.get(f"{base(workshop)}/").get_data(as_text=True)


def test_the_matrix_links_every_placed_step_and_has_a_table(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    quick = add_step(workshop, "Quick <win>", impact=5, effort="S")
    add_step(workshop, "Unplaced")
    login("member")
    page = client.get(f"{base(workshop)}/matrix").get_data(as_text=True)
    assert f'href="{base(workshop)}/{quick.id}"' in page
    assert "Quick &lt;win&gt;" in page and "<win>" not in page
    assert "Not on the matrix yet" in page and "Unplaced" in page
    wins = client.get(f"{base(workshop)}/quick-wins").get_data(as_text=True)
    assert "Small steps, tangible outcomes" in wins and "Quick &lt;win&gt;" in wins


def test_csv_and_xlsx_read_back_with_scores_and_safe_cells(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    add_step(workshop, '=HYPERLINK("http://evil")', impact=4, effort="S", notes="+1 café")
    add_step(workshop, "Plain step")
    login("member")
    raw = client.get(f"{base(workshop)}/export?format=csv").data
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame["rank"]) == [1, 2]
    assert frame.loc[0, "title"] == '\'=HYPERLINK("http://evil")'
    assert frame.loc[0, "notes"] == "'+1 café"
    assert {"score", "votes", "unmet_needs", "impact_points", "quick_win"} <= set(frame.columns)
    assert frame.loc[0, "quick_win"] == "yes" and frame.loc[0, "score"] > frame.loc[1, "score"]

    xlsx = client.get(f"{base(workshop)}/export?format=xlsx").data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.values)
    header = rows[0]
    assert sheet.title == "Next steps" and header[:5] == ("rank", "id", "title", "status", "score")
    assert rows[1][2] == '=HYPERLINK("http://evil")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not any(str(value).startswith("'") for row in rows for value in row)


def test_a_participant_votes_from_the_link_without_an_account(
    client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    token = enable_participant_link(workshop)
    step = add_step(workshop, "Step")
    vote = open_round(db.session, workshop, title="Phones out", next_steps=[step])
    db.session.commit()
    listing = client.get(f"/p/{token}/votes/").get_data(as_text=True)
    assert "Phones out" in listing
    url = f"/p/{token}/votes/{vote.id}"
    csrf = token_of(client, url)
    for _ in range(4):
        client.post(url, data={"csrf_token": csrf, "item_id": vote.items[0].id})
    keys = db.session.scalars(sa.select(Vote.voter_key)).all()
    assert len(keys) == 3 and len(set(keys)) == 1 and keys[0].startswith("token:")
    assert "all your 3 dots" in client.get(url).get_data(as_text=True)


def test_the_lead_opens_and_closes_a_vote_and_the_counts_feed_the_ranking(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    first, second = add_step(workshop, "First"), add_step(workshop, "Second")
    login("lead")
    token = token_of(client, f"{base(workshop)}/votes/")
    response = client.post(
        f"{base(workshop)}/votes/new",
        data={
            "csrf_token": token,
            "title": "Which first?",
            "next_steps": [first.id, second.id],
            "dots_per_member": "3",
            "several_dots_per_item": "y",
        },
    )
    assert response.status_code == 302
    vote = db.session.scalar(sa.select(VoteRound))
    second_item = next(i.id for i in vote.items if i.next_step_id == second.id)
    ballot = f"{base(workshop)}/votes/{vote.id}"
    for _ in range(2):
        client.post(f"{ballot}/dot", data={"csrf_token": token, "item_id": second_item})
    assert "dots</span>" not in client.get(ballot).get_data(as_text=True)  # hidden while open
    client.post(f"{ballot}/close", data={"csrf_token": token})
    assert "2 dots" in client.get(ballot).get_data(as_text=True)
    ranking = client.get(f"{base(workshop)}/").get_data(as_text=True)
    assert ranking.index("Second") < ranking.index("First")


def test_the_preview_reranks_under_trial_weights_and_saves_nothing(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    add_step(workshop, "Big and hard", impact=5, effort="L")
    add_step(workshop, "Small and easy", impact=1, effort="S")
    login("member")
    shared = client.get(f"{base(workshop)}/").get_data(as_text=True)
    assert shared.index("Big and hard") < shared.index("Small and easy")
    only_effort = {"votes": 0, "needs": 0, "unmet_needs": 0, "organisations": 0}
    only_effort |= {"boroughs": 0, "impact": 0, "effort": 10, "pairwise": 0}
    response = client.get(f"{base(workshop)}/preview", query_string=only_effort)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.index("Small and easy") < fragment.index("Big and hard")
    assert "2 steps move against the shared ranking" in fragment and "▲1" in fragment
    assert db.session.get(PriorityWeights, workshop.id) is None
    mine = client.get(f"{base(workshop)}/what-if", query_string=only_effort)
    page = mine.get_data(as_text=True)
    assert mine.status_code == 200 and 'data-preview-url="' in page
    assert page.index("Small and easy") < page.index("Big and hard")
    assert "Make these the shared weights" not in page  # a member cannot save them


def test_the_preview_says_what_is_wrong_with_a_weight(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    add_step(workshop, "Step")
    login("lead")
    for bad in ({"votes": "11"}, {"votes": "x"}, {"votes": "²"}):
        response = client.get(f"{base(workshop)}/preview", query_string=bad)
        assert response.status_code == 422
        assert "Votes must be" in response.get_data(as_text=True)
    page = client.get(f"{base(workshop)}/what-if", query_string={"effort": "7"})
    assert "Make these the shared weights" in page.get_data(as_text=True)
    weights_page = client.get(f"{base(workshop)}/weights?effort=7").get_data(as_text=True)
    assert 'name="effort" min="0" max="10" step="1" value="7"' in weights_page

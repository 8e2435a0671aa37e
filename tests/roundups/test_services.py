"""Round-up services: what a generated round-up holds, versions, conflicts and publishing."""

import pytest
import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import db
from insights.roundups.models import RoundUp
from insights.roundups.services import (
    Edit,
    RoundUpConflict,
    RoundUpError,
    edit,
    find_public,
    generate,
    latest,
    publish,
    share,
    versions,
)
from insights.workshops.models import Participant, Workshop
from tests.factories import make_statement, make_workshop
from tests.roundups.demo import next_step_titles


def test_a_generated_round_up_holds_every_section_of_the_workshop(
    demo: Workshop, users: dict[str, User]
) -> None:
    content = generate(db.session, demo, users["facilitator"]).content
    who = content["participation"]
    assert who["participants"] == 16 and len(who["organisations"]) == 16
    assert "Hackney" in {b["name"] for b in who["boroughs"]}
    assert {t["slug"] for t in content["themes"]} >= {"geography-comparison", "volunteering"}
    assert content["themes"] == sorted(content["themes"], key=lambda t: -t["count"])
    assert 0 < len(content["needs"]) <= 10 < content["needs_total"] + 10
    for key in ("sources", "challenges", "collected", "ideas", "gaps"):
        assert content[key], key
    assert [s["title"] for s in content["next_steps"]][:1] and {
        s["title"] for s in content["next_steps"]
    } == set(next_step_titles())
    assert [s["rank"] for s in content["next_steps"]] == list(range(1, 8))


def test_personal_names_appear_only_with_consent(app: object, users: dict[str, User]) -> None:
    workshop = make_workshop(db.session, "Names", users["facilitator"])
    workshop.participants.append(Participant(name="Ada Consenting", named_with_consent=True))
    workshop.participants.append(Participant(name="Bob Private", named_with_consent=False))
    db.session.flush()
    content = generate(db.session, workshop, users["facilitator"]).content
    assert content["participation"]["named"] == ["Ada Consenting"]
    assert "Bob Private" not in str(content)


def test_an_anonymous_post_it_names_no_organisation(app: object, users: dict[str, User]) -> None:
    from insights.organisations.models import Organisation

    workshop = make_workshop(db.session, "Anon", users["facilitator"])
    org = Organisation(name="Tiny Group", type="community-group")
    db.session.add(org)
    db.session.flush()
    statement = make_statement(db.session, workshop, "We never find grant data", "challenge")
    statement.organisation_id, statement.anonymous = org.id, True
    db.session.flush()
    content = generate(db.session, workshop, users["facilitator"]).content
    assert content["challenges"][0]["organisation"] == ""


def test_edits_to_a_published_round_up_make_a_new_version_and_keep_the_old(
    app: object, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Versions", users["facilitator"])
    first = generate(db.session, workshop, users["facilitator"])
    first = edit(db.session, first, first.version, Edit("First", "One"), users["facilitator"])
    db.session.flush()
    publish(first, first.version, "members")
    db.session.commit()

    second = edit(db.session, first, first.version, Edit("Second", "Two"), users["facilitator"])
    db.session.commit()

    assert (second.number, second.status, second.narrative_md) == (2, "draft", "Two")
    db.session.refresh(first)
    assert (first.number, first.status, first.title, first.narrative_md) == (
        1,
        "published",
        "First",
        "One",
    )
    assert [r.number for r in versions(db.session, workshop, published_only=False)] == [2, 1]
    assert latest(db.session, workshop, published_only=True) is first
    publish(second, second.version, "members")
    db.session.commit()
    assert [r.number for r in versions(db.session, workshop, published_only=True)] == [2, 1]


def test_a_stale_edit_is_refused_with_the_saved_version(
    app: object, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Stale", users["facilitator"])
    draft = generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    opened = draft.version
    edit(db.session, draft, opened, Edit("Theirs", "Saved first"), users["facilitator"])
    db.session.commit()
    with pytest.raises(RoundUpConflict) as raised:
        edit(db.session, draft, opened, Edit("Mine", "Saved second"), users["admin"])
    assert raised.value.current.narrative_md == "Saved first"


def test_editing_an_older_version_conflicts_with_the_newer_one(
    app: object, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Older", users["facilitator"])
    first = generate(db.session, workshop, users["facilitator"])
    db.session.flush()
    publish(first, first.version, "members")
    newer = generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    with pytest.raises(RoundUpConflict) as raised:
        edit(db.session, first, first.version, Edit("Old", "x"), users["facilitator"])
    assert raised.value.current is newer


def test_a_public_link_reaches_only_its_own_published_round_up(
    app: object, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Public", users["facilitator"])
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.flush()
    assert find_public(db.session, "") is None
    publish(roundup, roundup.version, "public")
    db.session.commit()
    token = roundup.public_token
    assert token and len(token) >= 40
    assert find_public(db.session, token) is roundup
    assert find_public(db.session, token[:-1]) is None
    share(roundup, "members")
    db.session.commit()
    assert roundup.public_token is None and find_public(db.session, token) is None


def test_publishing_needs_a_draft_and_a_known_visibility(
    app: object, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Rules", users["facilitator"])
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.flush()
    with pytest.raises(RoundUpError):
        publish(roundup, roundup.version, "everyone")
    with pytest.raises(RoundUpError):
        edit(db.session, roundup, roundup.version, Edit(" ", "x"), users["facilitator"])
    publish(roundup, roundup.version, "members")
    with pytest.raises(RoundUpError):
        publish(roundup, roundup.version, "members")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoundUp)) == 1

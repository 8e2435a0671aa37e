"""Next steps as data: fields, links, stale edits, soft delete, steps made from post-its,
gaps and pooling opportunities, the factors gathered for ranking, and the carry-forward list."""

import pytest
import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.factors import (
    quick_wins,
    ranked_steps,
    set_weights,
    step_factors,
    workshop_weights,
)
from insights.nextsteps.models import NextStep
from insights.nextsteps.ranking import DEFAULT_WEIGHTS, WeightError
from insights.nextsteps.services import (
    EditConflict,
    NextStepError,
    NextStepInput,
    PoolingInput,
    can_manage,
    carry_forward,
    delete_next_step,
    next_step_from_gap,
    next_step_from_pooling,
    next_step_from_statement,
    restore_next_step,
    update_next_step,
)
from insights.themes.models import Theme
from insights.voting.services import Voter, cast_dot, close_round, open_round
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_user, make_workshop
from tests.nextsteps.conftest import add_need, add_step, confirm_dataset_for

BARNET, CAMDEN, HACKNEY = "E09000003", "E09000007", "E09000012"


def test_a_step_keeps_every_field_and_link(workshop: Workshop, users: dict[str, User]) -> None:
    need = add_need(workshop, "Ward-level volunteering data")
    idea = make_statement(db.session, workshop, "Share one survey across CVSs", "idea")
    theme = db.session.scalar(sa.select(Theme).where(Theme.slug == "volunteering"))
    dataset = confirm_dataset_for(need)
    step = add_step(
        workshop,
        "Pool volunteering surveys",
        description="Agree a minimum data set",
        statement_ids=[need.id, idea.id],
        theme_ids=[theme.id],
        dataset_ids=[dataset.id],
        owner=f"user:{users['lead'].id}",
        status="agreed",
        effort="S",
        impact=4,
        notes="Start with three boroughs",
    )
    db.session.expire_all()
    saved = db.session.get(NextStep, step.id)
    assert {s.id for s in saved.statements} == {need.id, idea.id}
    assert [t.slug for t in saved.themes] == ["volunteering"]
    assert [d.title for d in saved.datasets] == ["Volunteering survey"]
    assert saved.owner_name == users["lead"].name
    assert (saved.status, saved.effort, saved.impact, saved.origin) == ("agreed", "S", 4, "scratch")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"impact": 6}, "between 1 and 5"),
        ({"effort": "XL"}, "S, M or L"),
        ({"status": "maybe"}, "Status must be"),
        ({"statement_ids": [999999]}, "not in this workshop"),
        ({"owner": "user:999999"}, "someone in this workshop"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    workshop: Workshop, fields: dict[str, object], message: str
) -> None:
    data = {"title": "A step", **fields}
    with pytest.raises(NextStepError, match=message):
        add_step(workshop, **data)  # type: ignore[arg-type]


def test_an_owner_organisation_can_be_typed_in(workshop: Workshop) -> None:
    step = add_step(workshop, owner_organisation_name="Barnet CVS")
    assert step.owner_name == "Barnet CVS"


def test_a_stale_edit_is_refused_and_both_versions_are_kept(workshop: Workshop) -> None:
    step = add_step(workshop, "Original title")
    opened_at = step.version
    update_next_step(db.session, step, NextStepInput(title="Their title"), opened_at)
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        update_next_step(db.session, step, NextStepInput(title="My title"), opened_at)
    assert caught.value.saved["Title"] == "Their title"
    assert caught.value.attempted["Title"] == "My title"
    db.session.rollback()
    assert db.session.get(NextStep, step.id).title == "Their title"


def test_every_save_bumps_the_version_even_when_only_links_change(workshop: Workshop) -> None:
    step = add_step(workshop, "Step")
    need = add_need(workshop, "A need")
    before = step.version
    update_next_step(db.session, step, NextStepInput(title="Step", statement_ids=[need.id]), before)
    db.session.commit()
    assert step.version == before + 1


def test_delete_hides_a_step_and_restore_brings_it_back(workshop: Workshop) -> None:
    step = add_step(workshop, "Step")
    delete_next_step(db.session, step, None)
    db.session.commit()
    assert ranked_steps(db.session, workshop) == []
    restore_next_step(db.session, step, None)
    db.session.commit()
    assert [r.step.id for r in ranked_steps(db.session, workshop)] == [step.id]


def test_a_step_made_from_an_idea_links_it(workshop: Workshop, users: dict[str, User]) -> None:
    idea = make_statement(db.session, workshop, "Publish a shared directory of groups", "idea")
    step = next_step_from_statement(db.session, workshop, idea, users["lead"])
    assert step.origin == "statement" and step.source_statement_id == idea.id
    assert step.title == idea.text and step.statements == [idea]
    need = add_need(workshop, "A need")
    with pytest.raises(NextStepError):
        next_step_from_statement(db.session, workshop, need, users["lead"])


def test_a_step_made_from_a_gap_links_the_need_and_a_met_need_is_refused(
    workshop: Workshop, users: dict[str, User]
) -> None:
    gap = add_need(workshop, "Data on unregistered groups")
    step = next_step_from_gap(db.session, workshop, gap, users["lead"])
    assert step.origin == "gap" and step.statements == [gap]
    assert "unregistered groups" in step.title
    met = add_need(workshop, "Volunteering rates")
    confirm_dataset_for(met)
    with pytest.raises(NextStepError, match="gap"):
        next_step_from_gap(db.session, workshop, met, users["lead"])


def test_a_step_made_from_a_pooling_opportunity_lists_its_items(
    workshop: Workshop, users: dict[str, User]
) -> None:
    pooling = PoolingInput(
        theme="state-of-sector",
        boroughs=["Barnet", "Camden"],
        items=["Barnet survey (Barnet CVS)", "Camden survey (VAC)"],
    )
    step = next_step_from_pooling(db.session, workshop, pooling, users["lead"])
    assert step.origin == "pooling"
    assert "Barnet, Camden" in step.title
    assert "Camden survey (VAC)" in step.description
    assert [t.slug for t in step.themes] == ["state-of-sector"]


def test_factors_count_needs_gaps_organisations_boroughs_and_votes(
    workshop: Workshop, users: dict[str, User]
) -> None:
    a = add_need(workshop, "Need A", "Barnet CVS", BARNET)
    b = add_need(workshop, "Need B", "Camden VAC", CAMDEN)
    c = add_need(workshop, "Need C", "Barnet CVS 2", BARNET)
    duplicate = add_need(workshop, "Need A again", "Hackney CVS", HACKNEY)
    duplicate.merged_into_id = a.id  # merged evidence widens the breadth of need A
    confirm_dataset_for(c)
    step = add_step(workshop, "Step", statement_ids=[a.id, b.id, c.id], impact=3, effort="M")
    vote = open_round(db.session, workshop, title="Vote", next_steps=[step])
    cast_dot(db.session, vote, vote.items[0].id, Voter.for_user(users["member"]))
    close_round(db.session, vote)
    db.session.commit()
    factors = step_factors(db.session, [step])[step.id]
    assert (factors.needs, factors.unmet_needs) == (3, 2)
    assert (factors.organisations, factors.boroughs) == (4, 3)
    assert (factors.votes, factors.impact, factors.effort) == (1, 3, "M")


def test_the_ranking_follows_the_weights_at_once(
    workshop: Workshop, users: dict[str, User]
) -> None:
    popular = add_step(workshop, "Popular", impact=1, effort="L")
    impactful = add_step(workshop, "Impactful", impact=5, effort="S")
    vote = open_round(db.session, workshop, title="Vote", next_steps=[popular, impactful])
    for n in range(3):
        cast_dot(db.session, vote, vote.items[0].id, Voter(key=f"token:{n}", token=str(n)))
    close_round(db.session, vote)
    db.session.commit()
    set_weights(db.session, workshop, {"votes": 10, "impact": 0, "effort": 0}, users["lead"])
    db.session.commit()
    assert [r.step.title for r in ranked_steps(db.session, workshop)] == ["Popular", "Impactful"]
    set_weights(db.session, workshop, {"votes": 0, "impact": 10, "effort": 5}, users["lead"])
    db.session.commit()
    assert [r.step.title for r in ranked_steps(db.session, workshop)] == ["Impactful", "Popular"]
    assert [r.step.title for r in quick_wins(ranked_steps(db.session, workshop))] == ["Impactful"]


def test_weights_out_of_range_are_refused_and_the_old_ones_kept(
    workshop: Workshop, users: dict[str, User]
) -> None:
    with pytest.raises(WeightError, match="between 0 and 10"):
        set_weights(db.session, workshop, {"votes": 42}, users["lead"])
    db.session.rollback()
    assert workshop_weights(db.session, workshop) == DEFAULT_WEIGHTS


def test_carry_forward_lists_undiscussed_steps_and_untaken_post_its(
    workshop: Workshop, users: dict[str, User]
) -> None:
    taken = add_need(workshop, "Taken need")
    loose = add_need(workshop, "Loose need")
    idea = make_statement(db.session, workshop, "Loose idea", "idea")
    make_statement(db.session, workshop, "Where we look", "source")
    voted = add_step(workshop, "Voted on", statement_ids=[taken.id])
    undiscussed = add_step(workshop, "Never discussed")
    parked = add_step(workshop, "Parked", status="parked")
    add_step(workshop, "Agreed", status="agreed")
    vote = open_round(db.session, workshop, title="Vote", next_steps=[voted])
    close_round(db.session, vote)
    db.session.commit()
    steps, statements = carry_forward(db.session, workshop)
    assert {s.id for s in steps} == {undiscussed.id, parked.id}
    assert {s.id for s in statements} == {loose.id, idea.id}


def test_leads_of_the_workshop_and_its_facilitators_manage_members_do_not(
    workshop: Workshop, users: dict[str, User]
) -> None:
    outsider_lead = make_user(db.session, "lead")
    other = make_workshop(db.session, "Other", outsider_lead)
    assert can_manage(db.session, users["lead"], workshop)
    assert can_manage(db.session, users["facilitator"], workshop)
    assert can_manage(db.session, users["admin"], workshop)
    assert not can_manage(db.session, users["member"], workshop)
    assert not can_manage(db.session, outsider_lead, workshop)
    assert can_manage(db.session, outsider_lead, other)


def test_participants_plus_ones_on_the_post_its_behind_a_step_count_in_its_ranking(
    workshop: Workshop, users: dict[str, User]
) -> None:
    from insights.participate.services import add_plus_one

    liked = add_need(workshop, "Need with +1s", "Barnet CVS", BARNET)
    plain = add_need(workshop, "Need without", "Camden VAC", CAMDEN)
    backed = add_step(workshop, "Backed", statement_ids=[liked.id])
    other = add_step(workshop, "Other", statement_ids=[plain.id])
    for phone in ("phone-one-key-0000", "phone-two-key-0000", "phone-one-key-0000"):
        add_plus_one(db.session, liked, phone)
    db.session.commit()
    factors = step_factors(db.session, [backed, other])
    assert (factors[backed.id].plus_ones, factors[other.id].plus_ones) == (2, 0)
    set_weights(db.session, workshop, {"plus_ones": 10, "impact": 0, "effort": 0}, users["lead"])
    db.session.commit()
    assert [r.step.title for r in ranked_steps(db.session, workshop)][:2] == ["Backed", "Other"]

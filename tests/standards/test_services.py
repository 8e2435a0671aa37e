"""Drafting a standard from a workshop's needs, editing drafts, publishing and versions."""

import pytest
from flask import Flask

from insights.extensions import db
from insights.standards.library import library_fields
from insights.standards.services import (
    FieldInput,
    StandardError,
    draft_from_workshop,
    draft_of,
    fields_by_need,
    publish,
    remove_field,
    save_field,
)
from tests.factories import make_user
from tests.standards.builders import workshop_with_needs


def test_the_library_holds_the_state_of_the_sector_questions_and_the_sector_identifiers(
    app: Flask,
) -> None:
    names = {item.name for item in library_fields()}
    assert {
        "income_band",
        "paid_staff",
        "volunteers",
        "main_area_of_work",
        "main_beneficiary_group",
        "borough_of_operation",
        "financial_outlook",
        "demand_for_services",
        "organisation_identifier",
        "charity_number",
        "legal_form",
    } <= names


def test_a_draft_proposes_library_fields_linked_to_the_needs_that_call_for_them(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    workshop = workshop_with_needs(db.session, lead)
    standard = draft_from_workshop(db.session, workshop, lead)
    draft = standard.versions[0]
    by_name = {item.name: item for item in draft.fields}
    assert "volunteers" in by_name
    assert any("volunteering data" in need.text for need in by_name["volunteers"].needs)
    assert "legal_form" in by_name  # "unregistered community groups"
    assert all(need.kind == "need" for item in draft.fields for need in item.needs)
    served = fields_by_need(db.session, [need.id for need in by_name["volunteers"].needs])
    assert all(any(f.name == "volunteers" for f, _ in found) for found in served.values())


def test_a_published_version_never_changes_and_editing_starts_the_next_draft(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    standard = draft_from_workshop(db.session, workshop_with_needs(db.session, lead), lead)
    first = standard.versions[0]
    publish(db.session, first, first.version, lead)
    with pytest.raises(StandardError, match="published"):
        remove_field(db.session, first, first.fields[0], lead)
    second = draft_of(db.session, standard, lead)
    assert second.number == 2 and not second.is_published
    assert [f.name for f in second.fields] == [f.name for f in first.fields]
    assert [n.id for n in second.fields[0].needs] == [n.id for n in first.fields[0].needs]
    remove_field(db.session, second, second.fields[0], lead)
    assert len(second.fields) == len(first.fields) - 1


def test_a_field_name_must_make_a_column_heading(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    standard = draft_from_workshop(db.session, workshop_with_needs(db.session, lead), lead)
    draft = standard.versions[0]
    with pytest.raises(StandardError, match="lower-case"):
        save_field(db.session, draft, FieldInput(name="Paid Staff!", title="Paid staff"), lead)
    with pytest.raises(StandardError, match="already has"):
        save_field(db.session, draft, FieldInput(name=draft.fields[0].name, title="Again"), lead)


def test_publishing_a_stale_draft_is_refused(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    standard = draft_from_workshop(db.session, workshop_with_needs(db.session, lead), lead)
    draft = standard.versions[0]
    with pytest.raises(StandardError, match="Someone else"):
        publish(db.session, draft, draft.version + 1, lead)

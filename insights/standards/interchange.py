"""A standard to and from a file: its Table Schema, which carries everything a field holds
(categories with labels, question, unit, guidance, identifying), so another network can take it
up. Needs stay with the workshop they were said in and are not carried."""

import json
from typing import Any

from frictionless import FrictionlessException, Schema

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import DbSession
from insights.standards.models import DataStandard, StandardVersion
from insights.standards.services import FieldInput, StandardError, save_field, unique_slug
from insights.workshops.models import Workshop


def field_input(descriptor: dict[str, Any]) -> FieldInput:
    """One Table Schema field as the input of a new field."""
    constraints = descriptor.get("constraints", {})
    labels = {
        c["value"]: c.get("label", c["value"])
        for c in descriptor.get("categories", [])
        if isinstance(c, dict)
    }
    codes = constraints.get("enum", list(labels))
    return FieldInput(
        name=str(descriptor.get("name", "")),
        title=str(descriptor.get("title") or descriptor.get("name", "")),
        question=str(descriptor.get("question", "")),
        definition=str(descriptor.get("description", "")),
        type=str(descriptor.get("type", "string")),
        unit=str(descriptor.get("unit", "")),
        allowed_values=[{"code": str(c), "label": str(labels.get(c, c))} for c in codes],
        minimum=constraints.get("minimum"),
        pattern=str(constraints.get("pattern", "")),
        required=bool(constraints.get("required")),
        identifying=bool(descriptor.get("identifying")),
        guidance=str(descriptor.get("guidance", "")),
    )


def read_schema(data: bytes) -> dict[str, Any]:
    """A Table Schema from JSON bytes, checked by frictionless."""
    try:
        descriptor = json.loads(data.decode("utf-8-sig"))
        return Schema.from_descriptor(descriptor).to_descriptor() | {
            k: descriptor[k] for k in ("title", "description") if k in descriptor
        }
    except (
        ValueError,
        UnicodeDecodeError,
        FrictionlessException,
        AttributeError,
        TypeError,
    ) as error:
        raise StandardError(f"The file is not a valid Table Schema: {str(error)[:300]}") from None


def import_standard(
    session: DbSession, workshop: Workshop, data: bytes, user: User | None
) -> DataStandard:
    """A new standard in the workshop, its first draft holding the schema's fields."""
    descriptor = read_schema(data)
    standard = DataStandard(
        workshop_id=workshop.id,
        slug=unique_slug(session, workshop.slug),
        title=str(descriptor.get("title") or "Imported data standard")[:200],
        description=str(descriptor.get("description", "")),
        created_by_id=user.id if user else None,
    )
    draft = StandardVersion(number=1, created_by_id=standard.created_by_id)
    standard.versions.append(draft)
    session.add(standard)
    session.flush()
    for item in descriptor.get("fields", []):
        save_field(session, draft, field_input(item), user, audit=False)
    record(
        session,
        "standard.import",
        "data_standard",
        standard.id,
        user_id=user.id if user else None,
        workshop_id=workshop.id,
        fields=len(draft.fields),
    )
    return standard

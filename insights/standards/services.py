"""Data standard services: draft from a workshop's needs, edit fields on a draft, publish (a
published version never changes: editing it starts the next draft), link fields to needs, and
the network's endorsements. Comments use the round-ups' comments, with the target "standard".

Services take a session and never commit; the view or command that owns the request does."""

import math
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from insights.audit.services import record
from insights.auth.models import User
from insights.core.enums import MANAGERS, StandardStatus, StatementKind
from insights.core.ids import valid_id
from insights.extensions import DbSession
from insights.standards.library import LibraryField, library_field, propose_fields
from insights.standards.models import (
    FIELD_TYPES,
    DataStandard,
    StandardEndorsement,
    StandardField,
    StandardVersion,
    standard_field_needs,
)
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from insights.workshops.services import membership_role

COMMENT_TARGET = "standard"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class StandardError(ValueError):
    """A standard request that cannot be done, with a message for the person."""


@dataclass
class FieldInput:
    """What a lead may set on a field."""

    name: str
    title: str
    question: str = ""
    definition: str = ""
    type: str = "string"
    unit: str = ""
    allowed_values: list[dict[str, str]] = field(default_factory=list)
    minimum: float | None = None
    pattern: str = ""
    required: bool = False
    identifying: bool = False
    guidance: str = ""
    need_ids: list[int] = field(default_factory=list)


def can_manage(session: DbSession, user: User, workshop: Workshop) -> bool:
    """Admins, and the workshop's leads and facilitators, manage its standards."""
    if user.role == "admin":
        return True
    return user.role in MANAGERS and membership_role(session, user, workshop) is not None


def standards_of(session: DbSession, workshop: Workshop) -> list[DataStandard]:
    """The workshop's standards, oldest first."""
    query = sa.select(DataStandard).where(DataStandard.workshop_id == workshop.id)
    return list(session.scalars(query.order_by(DataStandard.id)))


def latest_version(standard: DataStandard, *, published_only: bool) -> StandardVersion | None:
    """The newest version (the newest published one for readers)."""
    found = [v for v in standard.versions if v.is_published or not published_only]
    return found[-1] if found else None


def version_numbered(standard: DataStandard, number: int) -> StandardVersion | None:
    """The version with this number."""
    return next((v for v in standard.versions if v.number == number), None)


def workshop_needs(session: DbSession, workshop: Workshop) -> list[Statement]:
    """The workshop's live needs (not deleted, not merged into another), in board order."""
    query = sa.select(Statement).where(
        Statement.workshop_id == workshop.id,
        Statement.kind == StatementKind.NEED.value,
        Statement.live(),
    )
    return list(session.scalars(query.order_by(Statement.id)))


def need_themes(session: DbSession, need_ids: list[int], top: int = 2) -> dict[int, set[str]]:
    """Statement id -> the slugs of its `top` most confident themes that nobody rejected (a
    post-it's weaker tags would propose fields it does not ask for)."""
    found: dict[int, set[str]] = {need_id: set() for need_id in need_ids}
    if not need_ids:
        return found
    rows = session.execute(
        sa.select(StatementTheme.statement_id, Theme.slug)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .where(StatementTheme.statement_id.in_(need_ids), StatementTheme.decision != "rejected")
        .order_by(StatementTheme.statement_id, StatementTheme.confidence.desc(), Theme.slug)
    )
    for statement_id, slug in rows:
        if len(found[statement_id]) < top:
            found[statement_id].add(slug)
    return found


def draft_from_workshop(
    session: DbSession, workshop: Workshop, user: User | None, title: str = ""
) -> DataStandard:
    """A new standard whose first draft holds the library fields the workshop's needs call for,
    each linked to those needs."""
    needs = workshop_needs(session, workshop)
    themes = need_themes(session, [need.id for need in needs])
    proposals = propose_fields([(n.id, n.text, themes[n.id]) for n in needs])
    standard = DataStandard(
        workshop_id=workshop.id,
        slug=unique_slug(session, workshop.slug),
        title=title.strip()[:200] or f"Minimum data set: {workshop.title}"[:200],
        description=f"Drafted from the needs of the workshop “{workshop.title}”.",
        created_by_id=user.id if user else None,
    )
    draft = StandardVersion(
        number=1, status=StandardStatus.DRAFT.value, created_by_id=standard.created_by_id
    )
    standard.versions.append(draft)
    by_id = {need.id: need for need in needs}
    for position, proposal in enumerate(proposals):
        new = _from_library(proposal.item, position)
        new.needs = [by_id[i] for i in proposal.need_ids]
        draft.fields.append(new)
    session.add(standard)
    session.flush()
    record(
        session,
        "standard.draft",
        "data_standard",
        standard.id,
        user_id=_uid(user),
        workshop_id=workshop.id,
        fields=len(proposals),
    )
    return standard


def _uid(user: User | None) -> int | None:
    """The user's id, for the audit log."""
    return user.id if user else None


def unique_slug(session: DbSession, base: str) -> str:
    """A slug for a new standard, from the workshop's, numbered when taken."""
    stem = (re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "standard")[:60]
    taken = set(
        session.scalars(sa.select(DataStandard.slug).where(DataStandard.slug.like(f"{stem}%")))
    )
    candidate, number = f"{stem}-standard", 2
    while candidate in taken:
        candidate, number = f"{stem}-standard-{number}", number + 1
    return candidate


def _from_library(item: LibraryField, position: int) -> StandardField:
    """A new field with everything the library says of it."""
    return StandardField(
        position=position,
        name=item.name,
        title=item.title,
        question=item.question,
        definition=item.definition,
        type=item.type,
        unit=item.unit,
        allowed_values=[{"code": c, "label": label} for c, label in item.allowed_values],
        minimum=item.minimum,
        pattern=item.pattern,
        required=item.required,
        identifying=item.identifying,
        guidance=item.guidance,
        library_source=item.source,
    )


def draft_of(session: DbSession, standard: DataStandard, user: User) -> StandardVersion:
    """The open draft, or a new one copied from the newest published version."""
    newest = latest_version(standard, published_only=False)
    if newest is not None and not newest.is_published:
        return newest
    draft = StandardVersion(number=(newest.number + 1) if newest else 1, created_by_id=user.id)
    for old in newest.fields if newest else []:
        draft.fields.append(_copy_field(old))
    standard.versions.append(draft)
    session.flush()
    record(
        session,
        "standard.next_version",
        "standard_version",
        draft.id,
        user_id=user.id,
        workshop_id=standard.workshop_id,
        after={"number": draft.number, "fields": len(draft.fields)},
    )
    return draft


def _copy_field(old: StandardField) -> StandardField:
    """A field copied into the next version, with the needs it serves."""
    copy = StandardField(
        **{
            name: getattr(old, name)
            for name in (
                "position name title question definition type unit minimum pattern required "
                "identifying guidance library_source"
            ).split()
        },
        allowed_values=[dict(value) for value in old.allowed_values],
    )
    copy.needs = list(old.needs)
    return copy


def _touch(version: StandardVersion) -> None:
    """Count a change to the draft's fields as a change of the draft: its version goes up on
    flush, so a publish form opened before it is refused as stale."""
    flag_modified(version, "notes")


def _editable(version: StandardVersion) -> None:
    """Refuse changes to a published version."""
    if version.is_published:
        raise StandardError(
            f"Version {version.number} is published and cannot change: edit the next draft."
        )


def check_field(version: StandardVersion, data: FieldInput, editing: StandardField | None) -> None:
    """Refuse a field whose name, type or code list would not make a valid Table Schema."""
    if not NAME_PATTERN.match(data.name):
        raise StandardError(
            "A field name starts with a letter and holds only lower-case letters, digits and _ "
            "(at most 60): it becomes the column heading."
        )
    if any(f.name == data.name and f is not editing for f in version.fields):
        raise StandardError(f"This version already has a field called {data.name}.")
    if data.type not in FIELD_TYPES:
        raise StandardError(f"A field's type is one of {', '.join(FIELD_TYPES)}.")
    if not data.title.strip():
        raise StandardError("A field needs a title.")
    if data.minimum is not None and not math.isfinite(data.minimum):
        raise StandardError("The smallest allowed number must be a number, such as 0.")
    codes = [value["code"] for value in data.allowed_values]
    if len(set(codes)) != len(codes):
        raise StandardError("Each allowed value may appear only once.")
    if data.pattern:
        try:
            re.compile(data.pattern)
        except re.error as error:
            raise StandardError(f"The pattern is not a regular expression: {error}.") from None


def save_field(
    session: DbSession,
    version: StandardVersion,
    data: FieldInput,
    user: User | None,
    editing: StandardField | None = None,
    *,
    audit: bool = True,
) -> StandardField:
    """Add a field to a draft, or change one of its fields, with the needs it serves (an
    import records itself once, so its fields are saved with audit=False)."""
    _editable(version)
    check_field(version, data, editing)
    target = editing or StandardField(position=len(version.fields))
    for name in (
        "name title question definition type unit allowed_values minimum pattern required "
        "identifying guidance"
    ).split():
        setattr(target, name, getattr(data, name))
    target.needs = _needs_by_id(session, version, data.need_ids)
    if editing is None:
        version.fields.append(target)
    _touch(version)
    session.flush()
    if not audit:
        return target
    record(
        session,
        "standard.field",
        "standard_version",
        version.id,
        user_id=_uid(user),
        workshop_id=version.standard.workshop_id,
        field=data.name,
    )
    return target


def _needs_by_id(session: DbSession, version: StandardVersion, ids: list[int]) -> list[Statement]:
    """The needs of the standard's workshop with these ids (others are ignored)."""
    ids = [int(i) for i in ids if valid_id(i)]
    if not ids:
        return []
    workshop_id = version.standard.workshop_id
    query = sa.select(Statement).where(
        Statement.id.in_(ids), Statement.workshop_id == workshop_id, Statement.kind == "need"
    )
    return list(session.scalars(query.order_by(Statement.id)))


def add_library_field(
    session: DbSession, version: StandardVersion, name: str, user: User
) -> StandardField:
    """Add a field of the starter library to a draft."""
    _editable(version)
    item = library_field(name)
    if item is None:
        raise StandardError(f"The library has no field called {name}.")
    if any(f.name == name for f in version.fields):
        raise StandardError(f"This version already has the field {name}.")
    new = _from_library(item, len(version.fields))
    version.fields.append(new)
    _touch(version)
    session.flush()
    record(
        session,
        "standard.field",
        "standard_version",
        version.id,
        user_id=user.id,
        workshop_id=version.standard.workshop_id,
        field=name,
    )
    return new


def remove_field(
    session: DbSession, version: StandardVersion, target: StandardField, user: User
) -> None:
    """Take a field out of a draft (earlier published versions and their data keep it)."""
    _editable(version)
    version.fields.remove(target)
    for position, remaining in enumerate(version.fields):
        remaining.position = position
    _touch(version)
    session.flush()
    record(
        session,
        "standard.field_removed",
        "standard_version",
        version.id,
        user_id=user.id,
        workshop_id=version.standard.workshop_id,
        field=target.name,
    )


def publish(
    session: DbSession, version: StandardVersion, expected_version: int, user: User | None
) -> None:
    """Publish a draft: from now on it is frozen and open for submissions."""
    _editable(version)
    if version.version != expected_version:
        raise StandardError("Someone else changed this draft after you opened it: look again.")
    if not version.fields:
        raise StandardError("A standard needs at least one field before it is published.")
    version.status = StandardStatus.PUBLISHED.value
    version.published_at = utcnow()
    session.flush()
    record(
        session,
        "standard.publish",
        "standard_version",
        version.id,
        user_id=_uid(user),
        workshop_id=version.standard.workshop_id,
        number=version.number,
    )


def fields_by_need(
    session: DbSession, need_ids: list[int]
) -> dict[int, list[tuple[StandardField, StandardVersion]]]:
    """Need id -> the fields (of each standard's newest version carrying them) that serve it."""
    found: dict[int, list[tuple[StandardField, StandardVersion]]] = {}
    if not need_ids:
        return found
    rows = session.execute(
        sa.select(standard_field_needs.c.statement_id, StandardField, StandardVersion)
        .join(StandardField, StandardField.id == standard_field_needs.c.field_id)
        .join(StandardVersion, StandardVersion.id == StandardField.version_id)
        .where(standard_field_needs.c.statement_id.in_(need_ids))
        .order_by(StandardVersion.number.desc(), StandardField.position)
    )
    for need_id, item, version in rows:
        entries = found.setdefault(need_id, [])
        if not any(
            f.name == item.name and v.standard_id == version.standard_id for f, v in entries
        ):
            entries.append((item, version))
    return found


def toggle_endorsement(session: DbSession, version: StandardVersion, user: User) -> bool:
    """Endorse a published version, or withdraw the endorsement; whether it is now endorsed."""
    if not version.is_published:
        raise StandardError("Only a published version can be endorsed.")
    existing = session.get(StandardEndorsement, (version.id, user.id))
    if existing is not None:
        session.delete(existing)
        return False
    session.add(StandardEndorsement(version_id=version.id, user_id=user.id))
    return True


def endorsement_summary(session: DbSession, version: StandardVersion, user: User) -> dict[str, Any]:
    """Who endorses this version, and whether the signed-in person does."""
    names = session.execute(
        sa.select(User.id, User.name)
        .join(StandardEndorsement, StandardEndorsement.user_id == User.id)
        .where(StandardEndorsement.version_id == version.id)
        .order_by(User.name)
    ).all()
    return {"names": [name for _, name in names], "mine": any(i == user.id for i, _ in names)}


def find_standard(session: DbSession, reference: str) -> DataStandard | None:
    """A standard by its slug or id (for the command line)."""
    if reference.isdecimal() and len(reference) < 10:
        found = session.get(DataStandard, int(reference))
        if found is not None:
            return found
    return session.scalar(sa.select(DataStandard).where(DataStandard.slug == reference[:80]))

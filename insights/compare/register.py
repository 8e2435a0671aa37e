"""The network-wide needs register: needs that say the same thing across workshops grouped
as one (nlp.similarity), every wording kept as evidence, counted by workshop, borough and
organisation type, and marked shared, unique or new since the last workshop."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa

from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Workshop
from nlp.similarity import group_similar

NOT_STATED = "Not stated"
LEFT_OUT = ("not-valid",)  # needs a facilitator marked not valid are no one's need


@dataclass(frozen=True)
class Wording:
    """One need post-it as evidence: its words and who raised it where."""

    statement_id: int
    workshop_id: int
    text: str
    borough: str
    org_type: str
    organisation: str


@dataclass
class RegisterNeed:
    """One need of the network, however many times and ways it was raised."""

    title: str  # the most central wording
    wordings: list[Wording] = field(default_factory=list)
    workshops: Counter[str] = field(default_factory=Counter)  # workshop label -> wordings
    boroughs: Counter[str] = field(default_factory=Counter)
    org_types: Counter[str] = field(default_factory=Counter)
    first_seen: str = ""  # label of the earliest workshop that raised it
    new: bool = False  # first raised at the latest workshop, with earlier ones to compare

    @property
    def shared(self) -> bool:
        """Raised at more than one workshop."""
        return len(self.workshops) > 1

    @property
    def standing(self) -> str:
        """Shared, new since the last workshop, or unique to one workshop."""
        if self.shared:
            return "shared"
        return "new" if self.new else "unique"


@dataclass
class Register:
    """The grouped needs of some workshops, in the order the workshops took place."""

    workshops: list[str]
    needs: list[RegisterNeed]
    labels: dict[int, str] = field(default_factory=dict)  # workshop id -> label

    def count(self, standing: str) -> int:
        """How many needs are shared, new or unique."""
        return sum(1 for need in self.needs if need.standing == standing)


def workshop_label(workshop: Workshop) -> str:
    """A workshop as the register names it: its title and date."""
    return f"{workshop.title} ({workshop.date:%b %Y})" if workshop.date else workshop.title


def load_wordings(session: DbSession, workshops: Sequence[Workshop]) -> list[tuple[Wording, str]]:
    """Every live need of the workshops (merged-away wordings included, as evidence of what
    they were merged into) with the words to compare: the structured goal, else the text."""
    ids = [w.id for w in workshops]
    rows = session.execute(
        sa.select(
            Statement.id,
            Statement.workshop_id,
            Statement.text,
            Statement.anonymous,
            NeedDetail.goal,
            Borough.name,
            Organisation.type,
            Organisation.name,
        )
        .outerjoin(NeedDetail, NeedDetail.statement_id == Statement.id)
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .outerjoin(
            Borough,
            Borough.code == sa.func.coalesce(Statement.borough_code, Organisation.borough_code),
        )
        .where(Statement.workshop_id.in_(ids), Statement.kind == "need")
        .where(Statement.deleted_at.is_(None))
        .where(sa.or_(NeedDetail.status.is_(None), NeedDetail.status.not_in(LEFT_OUT)))
        .order_by(Statement.id)
    ).all()
    return [
        (
            Wording(sid, wid, text, borough or NOT_STATED, (kind or NOT_STATED).replace("-", " "),
                    "" if anonymous else (org or "")),
            (goal or "").strip() or text,
        )
        for sid, wid, text, anonymous, goal, borough, kind, org in rows
    ]  # fmt: skip


def build_register(session: DbSession, workshops: Sequence[Workshop]) -> Register:
    """Group the workshops' needs across workshops and count them every way."""
    ordered = sorted(workshops, key=lambda w: (w.date or date.max, w.title))
    labels = {w.id: workshop_label(w) for w in ordered}
    found = load_wordings(session, ordered)
    groups = group_similar([compared for _, compared in found])
    latest = labels[ordered[-1].id] if len(ordered) > 1 else ""
    position = {label: i for i, label in enumerate(labels.values())}
    needs = []
    for group in groups:
        wordings = [found[i][0] for i in group.members]
        need = RegisterNeed(title=wordings[0].text, wordings=wordings)
        for wording in wordings:
            need.workshops[labels[wording.workshop_id]] += 1
            need.boroughs[wording.borough] += 1
            need.org_types[wording.org_type] += 1
        need.first_seen = min(need.workshops, key=position.__getitem__)
        need.new = bool(latest) and need.first_seen == latest
        needs.append(need)
    needs.sort(key=lambda n: (-len(n.workshops), -len(n.wordings), n.title.lower()))
    return Register(list(labels.values()), needs, labels)


REGISTER_FORMATS = ("csv", "xlsx")


def counted(counts: Counter[str]) -> str:
    """A counter as "Camden: 2; Hackney: 1", largest first."""
    return "; ".join(f"{name}: {n}" for name, n in counts.most_common())


def register_frames(register: Register) -> dict[str, pd.DataFrame]:
    """The register as two tables: a row per need with its counts, and a row per wording."""
    needs = pd.DataFrame(
        [
            [number, need.title, need.standing, len(need.wordings), len(need.workshops),
             need.first_seen, counted(need.workshops), counted(need.boroughs),
             counted(need.org_types)]
            for number, need in enumerate(register.needs, start=1)
        ],
        columns=["need", "title", "standing", "wordings", "workshops", "first_raised_at",
                 "by_workshop", "by_borough", "by_organisation_type"],
    )  # fmt: skip
    wordings = pd.DataFrame(
        [
            [number, w.text, register.labels[w.workshop_id], w.organisation, w.borough,
             w.org_type]
            for number, need in enumerate(register.needs, start=1)
            for w in need.wordings
        ],
        columns=["need", "wording", "workshop", "organisation", "borough", "organisation_type"],
    )  # fmt: skip
    return {"Needs": needs, "Wordings": wordings}


def export_register(register: Register, file_format: str) -> bytes:
    """The register as CSV (a row per need) or XLSX (needs and wordings, a sheet each)."""
    frames = register_frames(register)
    if file_format == "csv":
        return frame_to_csv(frames["Needs"])
    if file_format == "xlsx":
        return frames_to_xlsx(frames)
    raise ValueError(f"Unknown format {file_format!r}: use csv or xlsx.")

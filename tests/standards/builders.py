"""Builders for the standards, submissions and pooling tests: a workshop with needs, a
standard drafted from them, and filled-in templates."""

import csv
import io
import random

from sqlalchemy.orm import Session

from insights.auth.models import User
from insights.standards.models import DataStandard, StandardVersion
from insights.standards.services import draft_from_workshop, publish
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop

NEEDS = (
    "As a CVS director, I need borough-level volunteering data so that we can compare with "
    "neighbouring boroughs.",
    "As a CVS director, I need to know how many registered charities are based in the borough "
    "and what they do so that I can show the council the size of the sector.",
    "Showing the economic value of the local sector: paid staff, volunteer time and money.",
    "Understanding how COVID-19 changed demand on local groups and what recovery looks like.",
    "Knowing which unregistered community groups exist so we can support them.",
    "Funding bids: which funders are giving grants locally.",
)


def workshop_with_needs(session: Session, *members: User) -> Workshop:
    """A workshop whose needs call for most of the starter library."""
    workshop = make_workshop(session, "Data about the sector", *members)
    for text in NEEDS:
        make_statement(session, workshop, text)
    make_statement(session, workshop, "No staff time to analyse data.", kind="challenge")
    return workshop


def published_standard(
    session: Session, lead: User, *members: User
) -> tuple[Workshop, DataStandard, StandardVersion]:
    """A standard drafted from the workshop's needs, version 1 published."""
    workshop = workshop_with_needs(session, lead, *members)
    standard = draft_from_workshop(session, workshop, lead)
    version = standard.versions[0]
    publish(session, version, version.version, lead)
    session.flush()
    return workshop, standard, version


def answer(version: StandardVersion, rng: random.Random, borough: str) -> dict[str, str]:
    """One organisation's plausible answers to every field of a version."""
    row = {}
    for item in version.fields:
        if item.codes:
            value = borough if item.name == "borough_of_operation" else rng.choice(item.codes)
        elif item.type == "integer":
            value = str(rng.randint(0, 40))
        elif item.type == "number":
            value = str(rng.randint(0, 90000))
        elif item.name == "organisation_identifier":
            value = f"GB-CHC-{rng.randint(200000, 1199999)}"
        elif item.name == "charity_number":
            value = str(rng.randint(200000, 1199999))
        else:
            value = "x"
        row[item.name] = value
    return row


def filled_csv(
    version: StandardVersion,
    borough: str,
    count: int,
    seed: int = 1,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A filled-in CSV template: `count` organisations' answers (headings renamed by `headers`)."""
    rng = random.Random(seed)
    names = [item.name for item in version.fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([(headers or {}).get(name, name) for name in names])
    for _ in range(count):
        row = answer(version, rng, borough)
        writer.writerow([row[name] for name in names])
    return buffer.getvalue().encode("utf-8")

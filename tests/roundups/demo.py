"""The demo workshop made ready for a round-up: loaded, tagged, with its next steps."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from insights.demo.services import demo_data, load_demo
from insights.statements.models import Statement
from insights.themes.services import tag_statements
from insights.workshops.models import Workshop


def demo_workshop(session: Session) -> Workshop:
    """Load the demo (accounts, workshop, post-its, next steps) and tag its post-its."""
    workshop = load_demo(session)
    assert workshop is not None
    session.flush()
    statements = session.scalars(
        sa.select(Statement).where(Statement.workshop_id == workshop.id)
    ).all()
    tag_statements(session, statements)
    session.commit()
    return workshop


def next_step_titles() -> list[str]:
    """The titles of the demo's next steps."""
    return [step["title"] for step in demo_data()["next_steps"]]

"""A big re-tag shared among forked processes stores exactly what one process would."""

import csv
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.themes.retag import retag_in_batches
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from nlp import annotate
from tests.factories import make_statement, make_workshop

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "theme_dev_set.csv"


def test_a_retag_shared_among_processes_stores_what_one_process_would(
    app: Flask, users: dict[str, User]
) -> None:
    with open(DEV_SET, newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    workshop = make_workshop(db.session, "Many post-its", users["facilitator"])
    ids = [make_statement(db.session, workshop, text, kind="idea").id for text in texts]
    db.session.commit()

    for _ in retag_in_batches(db.session, ids, batch_size=50, processes=2):
        db.session.commit()

    stored: dict[int, set[str]] = {statement_id: set() for statement_id in ids}
    for statement_id, slug in db.session.execute(
        sa.select(StatementTheme.statement_id, Theme.slug).join(Theme)
    ):
        stored[statement_id].add(slug)
    pipeline = pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))
    expected = annotate(texts, pipeline)
    assert stored == {i: {hit.slug for hit in a.themes} for i, a in zip(ids, expected, strict=True)}
    query = sa.select(Statement.id, Statement.mentions)
    mentions = {row.id: row.mentions for row in db.session.execute(query)}
    assert [len(mentions[i]) for i in ids] == [len(a.mentions) for a in expected]

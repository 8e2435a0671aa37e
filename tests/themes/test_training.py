"""`insights nlp train`: a classifier learnt from reviewed tags, used only where it beats the
rules on held-out statements, with its evaluation on a page."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme, ThemeClassifier
from insights.themes.review import decide_theme
from insights.themes.services import tag_statements
from insights.themes.training import reviewed_statements, split
from insights.workshops.models import Workshop
from nlp.evaluate import read_gold_csv
from tests.factories import make_statement
from tests.themes.conftest import tags_of

DEV_SET = Path(__file__).parents[1] / "data" / "theme_dev_set.csv"


@pytest.fixture(autouse=True)
def models_dir(app: Flask, tmp_path: Path) -> Path:
    """Trained models go to a temporary folder, not the instance folder."""
    app.config["THEMES_MODELS_DIR"] = str(tmp_path / "models")
    return tmp_path / "models"


def review_like_the_gold(workshop: Workshop, person: User, rows: int) -> list[Statement]:
    """Post-its from the dev set, reviewed as its labels say: gold themes accepted, other
    suggestions rejected."""
    gold = read_gold_csv(DEV_SET)[:rows]
    statements = [make_statement(db.session, workshop, text, "challenge") for text, _ in gold]
    tag_statements(db.session, statements)
    themes = {t.slug: t for t in db.session.scalars(sa.select(Theme))}
    for statement, (_, slugs) in zip(statements, gold, strict=True):
        suggested = {tag.theme.slug for tag in tags_of(statement).values()}
        for slug in slugs:
            decide_theme(db.session, statement, themes[slug], "accepted", person)
        for slug in suggested - slugs:
            decide_theme(db.session, statement, themes[slug], "rejected", person)
    db.session.commit()
    return statements


def test_train_refuses_with_too_few_reviewed_statements(
    runner: FlaskCliRunner, workshop: Workshop, users: dict[str, User]
) -> None:
    review_like_the_gold(workshop, users["facilitator"], 10)
    result = runner.invoke(args=["nlp", "train"])
    assert result.exit_code != 0
    assert "Only 10 reviewed statements" in result.output and "50 are needed" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeClassifier)) == 0


def test_reviewed_statements_turn_decisions_into_training_targets(
    workshop: Workshop, users: dict[str, User]
) -> None:
    review_like_the_gold(workshop, users["facilitator"], 5)
    first = reviewed_statements(db.session)[0]
    assert first.accepted == {"community-need"}
    cats = first.cats(["community-need", "volunteering"])
    assert cats == {"community-need": 1.0, "volunteering": 0.0}


def test_train_on_enough_reviews_evaluates_against_the_rules_and_shows_it(
    models_dir: Path,
    runner: FlaskCliRunner,
    client: FlaskClient,
    login,
    workshop: Workshop,
    users: dict[str, User],
) -> None:  # type: ignore[no-untyped-def]
    review_like_the_gold(workshop, users["facilitator"], 120)
    result = runner.invoke(args=["nlp", "train", "--epochs", "2"])
    assert result.exit_code == 0, result.output
    classifier = db.session.scalars(sa.select(ThemeClassifier)).one()
    reviewed = len(reviewed_statements(db.session))
    assert classifier.train_count + classifier.heldout_count == reviewed
    assert classifier.heldout_count == round(reviewed * 0.2)
    assert f"evaluated on {classifier.heldout_count} held out" in result.output
    assert Path(classifier.path, "textcat_multilabel").is_dir()
    assert Path(classifier.path).is_relative_to(models_dir)
    row = classifier.scores["funding-finance"]
    assert set(row) == {"rules", "model", "either", "mode"}
    assert set(row["model"]) == {"precision", "recall", "f1", "support"}
    assert row["mode"] in ("rules", "model", "either")
    login("lead")
    page = client.get("/themes/classifier").get_data(as_text=True)
    assert "Funding, grants and finances" in page
    assert f"evaluated on {classifier.heldout_count} held out" in page


def test_themes_the_classifier_is_chosen_for_are_tagged_with_source_model(
    runner: FlaskCliRunner, workshop: Workshop, users: dict[str, User]
) -> None:
    review_like_the_gold(workshop, users["facilitator"], 120)
    runner.invoke(args=["nlp", "train"])
    classifier = db.session.scalars(sa.select(ThemeClassifier)).one()
    # An admin's choice to trust the model for funding, whatever the held-out split said:
    classifier.scores = {"funding-finance": {"mode": "model"}}
    train, _ = split(reviewed_statements(db.session))
    learnt = next(item.text for item in train if "funding-finance" in item.accepted)
    statement = make_statement(db.session, workshop, learnt)
    db.session.commit()
    runner.invoke(args=["nlp", "retag"])
    funding = tags_of(statement)["funding-finance"]
    assert funding.source == "model"
    assert funding.evidence and set(funding.evidence) <= set(statement.text.split())
    still_rules = sa.select(sa.func.count()).where(
        StatementTheme.source == "rule",
        StatementTheme.decision == "suggested",
        StatementTheme.theme_id == funding.theme_id,
    )
    assert db.session.scalar(still_rules) == 0

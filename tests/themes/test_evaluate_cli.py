"""`insights nlp evaluate FILE.csv [--json]`: scores of the current tagger on a gold CSV."""

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

from nlp.corpus import read_corpus

GOLD = """text,themes
We need ward-level volunteering data,volunteering;geography-comparison
Who funds what: grants data for small groups,funding-finance;grassroots-unregistered
The pandemic changed everything for our members,crisis-response
"""


def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.csv"
    path.write_text(GOLD, encoding="utf-8")
    return path


def test_evaluate_prints_precision_recall_and_f1_per_theme_and_micro(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(args=["nlp", "evaluate", str(gold_file(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["theme", "precision", "recall", "f1", "support"]
    assert any(line.startswith("volunteering ") for line in lines)
    micro = next(line for line in lines if line.startswith("micro"))
    assert float(micro.split()[3]) > 0.5
    assert "(3 texts)" in result.output


def test_evaluate_json_has_a_top_level_micro_object(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["nlp", "evaluate", str(gold_file(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores["micro"]) >= {"precision", "recall", "f1"}
    assert scores["volunteering"]["support"] == 1
    assert scores["crisis-response"]["recall"] == 1.0


def test_evaluate_uses_the_taxonomy_in_the_database(runner: FlaskCliRunner, tmp_path: Path) -> None:
    from insights.extensions import db
    from insights.themes.taxonomy import add_theme

    add_theme(db.session, "Food poverty", patterns_text="food bank")
    db.session.commit()
    path = tmp_path / "food.csv"
    path.write_text("text,themes\nFood banks in every ward,food-poverty\n", encoding="utf-8")
    scores = json.loads(runner.invoke(args=["nlp", "evaluate", str(path), "--json"]).output)
    assert scores["food-poverty"]["f1"] == 1.0


def test_evaluate_refuses_a_csv_without_the_columns(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("wording,labels\nhello,world\n", encoding="utf-8")
    result = runner.invoke(args=["nlp", "evaluate", str(path)])
    assert result.exit_code != 0
    assert "needs UTF-8 columns text and themes" in result.output


REAL_CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_corpus" / "statements.csv"


def test_evaluate_scores_only_the_held_out_pages_of_the_real_corpus(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["nlp", "evaluate", str(REAL_CORPUS), "--split", "test", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["texts"] == len(read_corpus(REAL_CORPUS.parent, "test"))
    # Measured on the 22 held-out pages when the broader patterns were chosen: 0.720; on the
    # 50 held-out pages after the corpus grew (issue 15), with the same tagger: 0.689.
    assert scores["micro"]["f1"] >= 0.68


def test_evaluate_refuses_a_split_without_pages(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["nlp", "evaluate", str(gold_file(tmp_path)), "--split", "test"])
    assert result.exit_code != 0
    assert "needs a pages.csv" in result.output


def test_evaluate_needs_counts_sensible_drafts_on_held_out_pages(runner: FlaskCliRunner) -> None:
    args = ["nlp", "evaluate-needs", str(REAL_CORPUS), "--split", "test", "--show"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    needs = sum(s.kind == "need" for s in read_corpus(REAL_CORPUS.parent, "test"))
    assert last.startswith("sensible drafts: ") and f"of {needs} needs" in last
    assert int(last.split()[2]) >= 0.9 * needs

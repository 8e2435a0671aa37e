"""`insights nextsteps`: rank, export and weights from the command line."""

import io

import pandas as pd
from flask.testing import FlaskCliRunner

from insights.workshops.models import Workshop
from tests.nextsteps.conftest import add_step


def test_rank_prints_each_step_with_its_score_and_factors(
    runner: FlaskCliRunner, workshop: Workshop
) -> None:
    add_step(workshop, "Quick win", impact=5, effort="S")
    add_step(workshop, "Big job", impact=2, effort="L")
    result = runner.invoke(args=["nextsteps", "rank", workshop.slug])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Quick win" in lines[0] and "impact=5" in lines[0] and "Big job" in lines[1]


def test_export_writes_a_csv_file(runner: FlaskCliRunner, workshop: Workshop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_step(workshop, "Step")
    target = tmp_path / "steps.csv"
    result = runner.invoke(args=["nextsteps", "export", workshop.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.BytesIO(target.read_bytes()), encoding="utf-8-sig")
    assert list(frame["title"]) == ["Step"]


def test_weights_out_of_range_are_refused(runner: FlaskCliRunner, workshop: Workshop) -> None:
    refused = runner.invoke(args=["nextsteps", "weights", workshop.slug, "--set", "votes=99"])
    assert refused.exit_code != 0 and "between 0 and 10" in refused.output
    kept = runner.invoke(args=["nextsteps", "weights", workshop.slug, "--set", "votes=7"])
    assert kept.exit_code == 0 and "votes=7" in kept.output

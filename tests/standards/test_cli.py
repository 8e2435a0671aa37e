"""The command line: standards export|import, submissions validate|import, pool export."""

import csv
import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from frictionless import Schema

from insights.extensions import db
from insights.standards.models import DataStandard
from tests.factories import make_user
from tests.standards.builders import filled_csv, published_standard


def test_a_standard_goes_out_as_a_table_schema_and_comes_back_in(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    workshop, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    db.session.commit()
    out = tmp_path / "schema.json"
    result = runner.invoke(args=["standards", "export", standard.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    descriptor = json.loads(out.read_text())
    Schema.from_descriptor(descriptor)
    assert [f["name"] for f in descriptor["fields"]] == [f.name for f in version.fields]
    result = runner.invoke(
        args=["standards", "import", str(out), "--workshop", workshop.slug, "--publish"]
    )
    assert result.exit_code == 0, result.output
    copy = db.session.query(DataStandard).order_by(DataStandard.id.desc()).first()
    assert copy is not None and copy.id != standard.id
    theirs, ours = copy.versions[0].fields, version.fields
    assert [(f.name, f.codes, f.required, f.identifying) for f in theirs] == [
        (f.name, f.codes, f.required, f.identifying) for f in ours
    ]
    bad = tmp_path / "bad.json"
    bad.write_text('{"fields": [{"name": "x", "type": "colour"}]}')
    result = runner.invoke(args=["standards", "import", str(bad), "--workshop", workshop.slug])
    assert result.exit_code != 0 and "not a valid Table Schema" in result.output


def test_submissions_are_validated_imported_and_pooled_from_the_command_line(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _, standard, version = published_standard(db.session, make_user(db.session, "lead"))
    db.session.commit()
    good = tmp_path / "hackney.csv"
    good.write_bytes(filled_csv(version, "Hackney", 10))
    common = ["--standard", standard.slug, "--borough", "Hackney", "--year", "2024"]
    result = runner.invoke(args=["submissions", "validate", str(good), *common])
    assert result.exit_code == 0 and "Valid: 10 responses" in result.output
    lines = good.read_text().splitlines()
    lines[2] = lines[2].replace(",", ",oops,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines))
    result = runner.invoke(args=["submissions", "import", str(bad), *common])
    assert result.exit_code != 0 and "nothing was stored" in result.output
    result = runner.invoke(args=["submissions", "import", str(good), *common])
    assert result.exit_code == 0 and "Accepted 10 responses for Hackney, 2024" in result.output
    result = runner.invoke(args=["submissions", "import", str(good), *common])
    assert result.exit_code != 0 and "--replace" in result.output
    result = runner.invoke(args=["submissions", "import", str(good), *common, "--replace"])
    assert result.exit_code == 0
    out = tmp_path / "pool.csv"
    result = runner.invoke(args=["pool", "export", "--standard", standard.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows and {r["borough"] for r in rows} == {"Hackney"}
    counts = [r for r in rows if r["measure"] in ("responses", "count", "organisations responding")]
    assert all(r["value"] == "" or float(r["value"]) >= 5 for r in counts)

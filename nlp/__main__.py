"""``python -m nlp GOLD.csv THEMES.json``: print theme scores for a gold CSV."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from nlp.evaluate import evaluate_pipeline, format_table, read_gold_csv
from nlp.pipeline import load_pipeline
from nlp.taxonomy import Taxonomy


def main(argv: Sequence[str] | None = None) -> None:
    """Tag every text of a ``text,themes`` CSV and print precision, recall and F1 per theme."""
    parser = argparse.ArgumentParser(prog="python -m nlp", description=main.__doc__)
    parser.add_argument("gold_csv")
    parser.add_argument("themes_json", help='a file like {"themes": [{"slug": ...}, ...]}')
    parser.add_argument("--first", type=int, help="score only the first N rows")
    parser.add_argument("--skip", type=int, default=0, help="skip the first N rows")
    args = parser.parse_args(argv)
    records = json.loads(Path(args.themes_json).read_text(encoding="utf-8"))["themes"]
    pipeline = load_pipeline(Taxonomy.from_records(records))
    rows = read_gold_csv(args.gold_csv)[args.skip :]
    rows = rows[: args.first] if args.first else rows
    print(format_table(evaluate_pipeline(rows, pipeline)))


if __name__ == "__main__":
    main()

"""A map of London drawn as SVG on the server: the grid cartogram of london_grid.csv (our own
layout, licence named in insights/reference/LONDON_GRID.md), each borough shaded by a value."""

import csv
from functools import cache
from html import escape

from insights.reference import REFERENCE_DIR, london_boroughs

SIZE, GAP, MARGIN, LEGEND = 64, 4, 8, 40
# Light to dark blue, readable with the text colour each step is paired with.
SHADES = (
    ("#deebf7", "#1b1f23"),
    ("#9ecae1", "#1b1f23"),
    ("#4292c6", "#ffffff"),
    ("#08519c", "#ffffff"),
)
NO_DATA = ("#f2f2f2", "#555555")


@cache
def grid() -> dict[str, tuple[str, int, int]]:
    """ONS code -> (short label, column, row)."""
    with open(REFERENCE_DIR / "london_grid.csv", newline="", encoding="utf-8") as handle:
        return {
            r["code_ons"]: (r["short"], int(r["column"]), int(r["row"]))
            for r in csv.DictReader(handle)
        }


def shade(value: float | None, low: float, high: float) -> tuple[str, str]:
    """The fill and text colour of a value on the scale low..high."""
    if value is None:
        return NO_DATA
    if high <= low:
        return SHADES[len(SHADES) // 2]
    step = min(len(SHADES) - 1, int((value - low) / (high - low) * len(SHADES)))
    return SHADES[step]


def london_map(values: dict[str, float | None], texts: dict[str, str], title: str) -> str:
    """The SVG: a square per borough, shaded by its value, titled with its name and figure."""
    names = dict(london_boroughs())
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    columns = 1 + max(c for _, c, _ in grid().values())
    rows = 1 + max(r for _, _, r in grid().values())
    width = MARGIN * 2 + columns * (SIZE + GAP)
    height = MARGIN * 2 + rows * (SIZE + GAP) + LEGEND
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="london-map"><title>{escape(title)}</title>'
    ]
    for code, (short, column, row) in grid().items():
        fill, ink = shade(values.get(code), low, high)
        x, y = MARGIN + column * (SIZE + GAP), MARGIN + row * (SIZE + GAP)
        label = f"{names.get(code, code)}: {texts.get(code, 'no submission')}"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<rect x="{x}" y="{y}" width="{SIZE}" height="{SIZE}" rx="6" '
            f'fill="{fill}" stroke="#fff"/>'
            f'<text x="{x + SIZE / 2}" y="{y + 26}" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="{ink}">{escape(short)}</text>'
            f'<text x="{x + SIZE / 2}" y="{y + 46}" text-anchor="middle" font-size="11" '
            f'fill="{ink}">{escape(_short_figure(texts.get(code, "")))}</text></g>'
        )
    parts.append(_legend(MARGIN, height - LEGEND + 8, low, high))
    parts.append("</svg>")
    return "".join(parts)


def _short_figure(text: str) -> str:
    """A figure short enough for its square ("fewer than 5" becomes "<5")."""
    if text.startswith("fewer than "):
        return "<" + text.removeprefix("fewer than ")
    return text if len(text) <= 8 else "–"


def _legend(x: int, y: int, low: float, high: float) -> str:
    """The colour scale from the lowest to the highest figure, and the no-data colour."""
    parts = []
    for step, (fill, _) in enumerate((*SHADES, NO_DATA)):
        parts.append(
            f'<rect x="{x + step * 44}" y="{y}" width="40" height="14" '
            f'fill="{fill}" stroke="#999"/>'
        )
    parts.append(
        f'<text x="{x}" y="{y + 28}" font-size="11" fill="#1b1f23">{low:g} (lowest) → {high:g} '
        f"(highest); grey: no figure</text>"
    )
    return "".join(parts)

"""The comparison's heatmap: each cell a theme's share of a group's themed post-its (SVG,
with a title and description for screen readers).

Themes go down the side and groups across, unless there are more groups than themes (33
boroughs): then the groups go down the side, so the chart grows in length, not width. It is
drawn at its own size in a scrolling frame, never shrunk, so its text stays 12 px as drawn."""

from collections.abc import Callable

from markupsafe import Markup, escape

from insights.themes.charts import svg

CELL_W = 72
CELL_H = 26
LABEL_W = 300  # at most; narrower when every row label is short
CHAR_W = 7  # a generous width of one character at FONT_PX
HEAD_H = 150
FONT_PX = 12


def share_heatmap(
    themes: list[tuple[str, str]],
    groups: list[str],
    shares: dict[str, dict[str, float]],
    title: str,
) -> Markup:
    """A themes × groups heatmap of shares, the percentage written in each cell."""
    top = max((v for row in shares.values() for v in row.values()), default=0.0) or 1.0
    theme_names = [name for _, name in themes]
    slug_of = {name: slug for slug, name in themes}
    if len(groups) > len(themes):
        rows, columns = groups, theme_names

        def value(row: str, column: str) -> float:
            return shares.get(row, {}).get(slug_of[column], 0.0)
    else:
        rows, columns = theme_names, groups

        def value(row: str, column: str) -> float:
            return shares.get(column, {}).get(slug_of[row], 0.0)

    desc = (
        f"{len(themes)} themes by {len(groups)} groups; each cell is the share of the group's "
        "themed post-its that carry the theme, darker for a larger share"
    )
    return grid(rows, columns, value, top, title, desc)


def grid(
    rows: list[str],
    columns: list[str],
    value: Callable[[str, str], float],
    top: float,
    title: str,
    desc: str,
) -> Markup:
    """Row labels on the left, slanted column headings above, a shaded cell for each pair."""
    left = min(LABEL_W, max(120, CHAR_W * max((len(r) for r in rows), default=0) + 16))
    parts = [column_heading(left, i, column) for i, column in enumerate(columns)]
    for r, row in enumerate(rows):
        y = HEAD_H + r * CELL_H
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{escape(row)}</text>')
        parts += [cell(left + c * CELL_W, y, value(row, col), top) for c, col in enumerate(columns)]
    width = left + len(columns) * CELL_W + HEAD_H + 40  # room for the last slanted heading
    height = HEAD_H + len(rows) * CELL_H + 10
    body = f'<g font-size="{FONT_PX}">{"".join(parts)}</g>'
    return svg(width, height, title, desc, body, css_class="chart heatmap")


def column_heading(left: int, index: int, label: str) -> str:
    """A column's name, slanted above it."""
    x = left + index * CELL_W + CELL_W // 2
    short = label if len(label) <= 30 else label[:29] + "…"
    return (
        f'<text transform="translate({x},{HEAD_H - 8}) rotate(-35)">'
        f"<title>{escape(label)}</title>{escape(short)}</text>"
    )


def cell(x: int, y: int, value: float, top: float) -> str:
    """One cell: shaded by its share of the largest, its percentage inside."""
    shade = value / top if top else 0.0
    fill = f"rgba(11, 95, 138, {0.06 + 0.94 * shade:.2f})"
    ink = "#ffffff" if shade > 0.55 else "#1b1f23"
    label = f"{round(100 * value)}%" if value else "–"
    return (
        f'<rect x="{x}" y="{y}" width="{CELL_W - 3}" height="{CELL_H - 3}" fill="{fill}"></rect>'
        f'<text x="{x + CELL_W // 2 - 1}" y="{y + 17}" text-anchor="middle" fill="{ink}">'
        f"{label}</text>"
    )

"""The comparison's heatmap: themes down the side, groups across, each cell the theme's share
of the group's themed post-its (SVG, with a title and description for screen readers)."""

from markupsafe import Markup, escape

from insights.themes.charts import svg

CELL_W = 92
CELL_H = 26
LABEL_W = 320
HEAD_H = 150


def share_heatmap(
    themes: list[tuple[str, str]],
    groups: list[str],
    shares: dict[str, dict[str, float]],
    title: str,
) -> Markup:
    """A themes × groups heatmap of shares, the percentage written in each cell."""
    top = max((v for row in shares.values() for v in row.values()), default=0.0) or 1.0
    parts = [column_heading(i, group) for i, group in enumerate(groups)]
    for row, (slug, name) in enumerate(themes):
        y = HEAD_H + row * CELL_H
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>'
        )
        for col, group in enumerate(groups):
            value = shares.get(group, {}).get(slug, 0.0)
            parts.append(cell(LABEL_W + col * CELL_W, y, value, top))
    width = LABEL_W + len(groups) * CELL_W + HEAD_H + 40  # room for the last slanted heading
    height = HEAD_H + len(themes) * CELL_H + 10
    desc = (
        f"{len(themes)} themes by {len(groups)} groups; each cell is the share of the group's "
        "themed post-its that carry the theme, darker for a larger share"
    )
    return svg(width, height, title, desc, "".join(parts))


def column_heading(index: int, label: str) -> str:
    """A group's name, slanted above its column."""
    x = LABEL_W + index * CELL_W + CELL_W // 2
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

"""Charts drawn on the server as SVG (no script, no CDN), each with a title and description
for screen readers; the pages put the same figures in a table beside them."""

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 260
CHART_WIDTH = 640
CELL = 30
HEAT_LABEL_WIDTH = 230


def bar_chart(items: list[tuple[str, int]], title: str) -> Markup:
    """A horizontal bar chart of labelled counts."""
    top = max((value for _, value in items), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 50
    height = BAR_HEIGHT * len(items) + 10
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * BAR_HEIGHT + 5
        width = max(1, round(span * value / top))
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" '
            f'height="{BAR_HEIGHT - 6}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}">{value}</text>'
        )
    return svg(CHART_WIDTH, height, title, f"{len(items)} bars", "".join(rows))


def heatmap(names: list[str], matrix: list[list[int]], title: str) -> Markup:
    """A square heatmap: darker cells for more statements carrying both themes."""
    top = max((v for i, row in enumerate(matrix) for j, v in enumerate(row) if i != j), default=0)
    size = len(names) * CELL
    cells = []
    for i, name in enumerate(names):
        y = HEAT_LABEL_WIDTH + i * CELL
        cells.append(
            f'<text x="{HEAT_LABEL_WIDTH - 6}" y="{y + 19}" text-anchor="end">{escape(name)}</text>'
            f'<text transform="translate({HEAT_LABEL_WIDTH + i * CELL + 19},'
            f'{HEAT_LABEL_WIDTH - 6}) rotate(-60)">{escape(name)}</text>'
        )
        for j, value in enumerate(matrix[i]):
            cells.append(heat_cell(HEAT_LABEL_WIDTH + j * CELL, y, value, top, i == j))
    width = HEAT_LABEL_WIDTH + size + 10
    desc = f"{len(names)} themes; darker cells mean more statements carry both themes"
    return svg(width, HEAT_LABEL_WIDTH + size + 10, title, desc, "".join(cells))


def heat_cell(x: int, y: int, value: int, top: int, diagonal: bool) -> str:
    """One cell of the heatmap, its count written inside."""
    shade = 0.0 if diagonal or not top else value / top
    fill = "#eeeeee" if diagonal else f"rgba(11, 95, 138, {0.08 + 0.92 * shade:.2f})"
    ink = "#ffffff" if shade > 0.55 else "#1b1f23"
    return (
        f'<rect x="{x}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="{fill}"></rect>'
        f'<text x="{x + CELL // 2 - 1}" y="{y + 19}" text-anchor="middle" fill="{ink}">'
        f"{value or ''}</text>"
    )


def svg(
    width: int, height: int, title: str, desc: str, body: str, css_class: str = "chart"
) -> Markup:
    """Wrap chart elements in an accessible, scalable SVG element."""
    # Safe: every label reaching here went through escape(); the rest are numbers.
    return Markup(  # noqa: S704
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{body}</svg>"
    )

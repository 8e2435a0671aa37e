"""The impact / effort matrix, drawn on the server as SVG: one link per next step."""

from dataclasses import dataclass

from markupsafe import Markup, escape

from insights.nextsteps.models import EFFORTS

WIDTH, HEIGHT = 680, 500
LEFT, TOP, RIGHT, BOTTOM = 70, 20, 20, 56
RADIUS, PITCH = 13, 31
EFFORT_NAMES = {"S": "Small", "M": "Medium", "L": "Large"}


@dataclass(frozen=True)
class Point:
    """A next step to place: its rank, title, link, impact 1–5 and effort S/M/L."""

    rank: int
    title: str
    url: str
    impact: int
    effort: str
    quick_win: bool = False


def cell_box(effort: str, impact: int) -> tuple[float, float, float, float]:
    """x, y, width, height of the cell for an effort (column) and an impact (row, 5 on top)."""
    width = (WIDTH - LEFT - RIGHT) / len(EFFORTS)
    height = (HEIGHT - TOP - BOTTOM) / 5
    return LEFT + EFFORTS.index(effort) * width, TOP + (5 - impact) * height, width, height


def grid_lines() -> str:
    """The cells, the quick-win corner, and the axis labels."""
    parts = []
    for effort in EFFORTS:
        for impact in range(1, 6):
            x, y, w, h = cell_box(effort, impact)
            corner = effort == "S" and impact >= 4
            parts.append(
                f'<rect class="cell{" quick-corner" if corner else ""}" x="{x:.0f}" y="{y:.0f}" '
                f'width="{w:.0f}" height="{h:.0f}"></rect>'
            )
        x, _, w, _ = cell_box(effort, 1)
        parts.append(
            f'<text class="axis" x="{x + w / 2:.0f}" y="{HEIGHT - BOTTOM + 20}" '
            f'text-anchor="middle">{EFFORT_NAMES[effort]} ({effort})</text>'
        )
    for impact in range(1, 6):
        _, y, _, h = cell_box("S", impact)
        parts.append(
            f'<text class="axis" x="{LEFT - 10}" y="{y + h / 2 + 4:.0f}" text-anchor="end">'
            f"{impact}</text>"
        )
    _, y, _, _ = cell_box("S", 5)
    parts.append(f'<text class="corner-label" x="{LEFT + 6}" y="{y + 14:.0f}">Quick wins</text>')
    parts.append(
        f'<text class="axis-title" x="{(WIDTH + LEFT) / 2:.0f}" y="{HEIGHT - 8}" '
        f'text-anchor="middle">Effort →</text>'
        f'<text class="axis-title" transform="translate(18,{(HEIGHT - BOTTOM) / 2:.0f}) '
        f'rotate(-90)" text-anchor="middle">Impact →</text>'
    )
    return "".join(parts)


def point_mark(point: Point, slot: int, per_row: int, box: tuple[float, ...]) -> str:
    """One step as a numbered dot that links to its page."""
    x, y, _, _ = box
    cx = x + 22 + (slot % per_row) * PITCH
    cy = y + 30 + (slot // per_row) * PITCH
    label = f"#{point.rank} {point.title}: impact {point.impact}, effort {point.effort}"
    css = "point quick" if point.quick_win else "point"
    return (
        f'<a href="{escape(point.url)}" class="{css}" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{RADIUS}"></circle>'
        f'<text x="{cx:.0f}" y="{cy + 4:.0f}" text-anchor="middle">{point.rank}</text></a>'
    )


def matrix_svg(points: list[Point], title: str = "Impact and effort of the next steps") -> Markup:
    """The matrix: effort across, impact up; several steps in a cell sit side by side."""
    per_cell: dict[tuple[str, int], list[Point]] = {}
    for point in sorted(points, key=lambda p: p.rank):
        per_cell.setdefault((point.effort, point.impact), []).append(point)
    marks = []
    for (effort, impact), group in per_cell.items():
        box = cell_box(effort, impact)
        per_row = max(1, int((box[2] - 20) // PITCH))
        marks += [point_mark(p, slot, per_row, box) for slot, p in enumerate(group)]
    desc = f"{len(points)} next steps placed by effort (across) and impact (up)"
    # Safe: every text reaching here went through escape(); the rest are numbers.
    return Markup(  # noqa: S704
        f'<svg class="chart matrix-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        f"{grid_lines()}{''.join(marks)}</svg>"
    )

"""Bar charts of a comparison, drawn as SVG on the server (no script, prints as it shows)."""

from html import escape

from insights.pooling.services import Comparison

ROW, LABEL, BAR, PAD = 22, 170, 360, 70


def bar_chart(comparison: Comparison, title: str) -> str:
    """A horizontal bar per borough that has a figure, longest first."""
    rows = sorted((r for r in comparison.rows if r["value"] is not None), key=lambda r: -r["value"])
    high = max((r["value"] for r in rows), default=0) or 1
    height = ROW * max(1, len(rows)) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LABEL + BAR + PAD} {height}" '
        f'role="img" aria-label="{escape(title)}" class="bar-chart"><title>{escape(title)}</title>'
    ]
    for index, row in enumerate(rows):
        y = 20 + index * ROW
        width = max(1.0, BAR * row["value"] / high)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 14}" text-anchor="end" font-size="12" '
            f'fill="#1b1f23">{escape(row["borough"])}</text>'
            f'<rect x="{LABEL}" y="{y + 2}" width="{width:.1f}" height="{ROW - 6}" fill="#0b5f8a"/>'
            f'<text x="{LABEL + width + 4:.1f}" y="{y + 14}" font-size="12" '
            f'fill="#1b1f23">{escape(row["shown_as"])}</text>'
        )
    if not rows:
        parts.append('<text x="10" y="20" font-size="12" fill="#555">No figure to show yet.</text>')
    parts.append("</svg>")
    return "".join(parts)

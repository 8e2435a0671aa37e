"""The round-up's theme chart: SVG for pages and HTML files, PNG for DOCX and PDF (drawn with
matplotlib's Agg backend: no display, no network)."""

import io
from typing import Any

from markupsafe import Markup

from insights.themes.charts import bar_chart

CHART_TITLE = "Post-its per theme"


def theme_items(content: dict[str, Any]) -> list[tuple[str, int]]:
    """(theme name, post-its) from a round-up's content, most frequent first."""
    return [(theme["name"], theme["count"]) for theme in content.get("themes", [])]


def theme_chart_svg(content: dict[str, Any]) -> Markup:
    """The themes as an accessible SVG bar chart."""
    return bar_chart(theme_items(content), CHART_TITLE)


def theme_chart_alt(content: dict[str, Any]) -> str:
    """The chart's figures in words, for the image's text alternative."""
    items = theme_items(content)
    listed = "; ".join(f"{name}: {count}" for name, count in items)
    return f"Bar chart of post-its per theme. {listed}." if items else "No themed post-its."


def theme_chart_png(content: dict[str, Any]) -> bytes:
    """The themes as a PNG bar chart (empty bytes when there are no themes)."""
    items = theme_items(content)
    if not items:
        return b""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 0.32 * len(items) + 0.9), dpi=150)
    axes = figure.add_subplot()
    names = [name for name, _ in reversed(items)]
    counts = [count for _, count in reversed(items)]
    bars = axes.barh(names, counts, color="#0b5f8a")
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_title(CHART_TITLE, fontsize=10, loc="left")
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(counts) * 1.12)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

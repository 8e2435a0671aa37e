"""Helpers for the room journeys: every page checked for sideways scroll at three widths."""

from pathlib import Path

from playwright.sync_api import Page

WIDTHS = (390, 1366, 1920)
SHOTS = Path("benchmarks/out/room")
# The elements that stick out past the right edge, to say what overflows.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .join('; ')"""


def check_widths(page: Page, name: str) -> None:
    """At 390, 1366 and 1920 px: no horizontal overflow; a screenshot of each to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or {"width": 1366, "height": 900}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": original["height"]})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=width != 1920)
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        wide = page.evaluate(WIDEST) if overflow[0] > overflow[1] else ""
        assert overflow[0] <= overflow[1], f"{name} scrolls sideways at {width}px: {wide}"
    page.set_viewport_size(original)


def mark_page(page: Page) -> None:
    """Tag the loaded document, to prove later that no reload happened."""
    page.evaluate("() => { window.__noReload = true; }")


def still_same_page(page: Page) -> bool:
    """Whether the document tagged by mark_page is still the one shown."""
    return bool(page.evaluate("() => window.__noReload === true"))

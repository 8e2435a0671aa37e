"""Helpers for the room journeys: every page checked for sideways scroll at three widths."""

from pathlib import Path

from playwright.sync_api import Page

WIDTHS = (390, 1366, 1920)
SHOTS = Path("benchmarks/out/room")


def check_widths(page: Page, name: str) -> None:
    """At 390, 1366 and 1920 px: no horizontal overflow; a screenshot of each to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or {"width": 1366, "height": 900}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": original["height"]})
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert overflow[0] <= overflow[1], f"{name} scrolls sideways at {width}px: {overflow}"
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=width != 1920)
    page.set_viewport_size(original)


def mark_page(page: Page) -> None:
    """Tag the loaded document, to prove later that no reload happened."""
    page.evaluate("() => { window.__noReload = true; }")


def still_same_page(page: Page) -> bool:
    """Whether the document tagged by mark_page is still the one shown."""
    return bool(page.evaluate("() => window.__noReload === true"))

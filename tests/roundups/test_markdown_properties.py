"""Random and hostile Markdown never yields a script, an event handler or a javascript: link."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from insights.roundups.markdown import render_markdown

PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "<a href='JaVaScRiPt:alert(1)'>y</a>",
        "<svg onload=alert(1)>",
        "<iframe src=//e>",
        "**bold**",
        "# Heading",
        "- item",
        "`code`",
        "<div onclick='x()'>z</div>",
        "\n\n",
        "<style>body{}</style>",
        "![i](data:text/html,<script>1</script>)",
        "<b>ok</b>",
    ]
)
MARKDOWN = st.lists(PIECES | st.text(max_size=40), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=MARKDOWN)
def test_rendered_markdown_never_carries_active_content(text: str) -> None:
    html = str(render_markdown(text)).lower()
    assert "<script" not in html and "<iframe" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html)
    assert not re.search(r"<[^>]*(href|src)\s*=\s*[\"']?\s*(javascript|data):", html)

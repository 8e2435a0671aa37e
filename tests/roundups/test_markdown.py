"""The facilitator's narrative is Markdown rendered safe to show anyone."""

from insights.roundups.markdown import narrative_blocks, render_markdown

ATTACKS = """# Summary

Hello <script>alert("x")</script> there.

<img src="x.png" onerror="alert(1)">

<a href="javascript:alert(2)" onclick="alert(3)">click</a> and [also](javascript:alert(4)).

<p onmouseover="alert(5)">Hover</p>

<iframe src="https://example.org"></iframe><style>body{display:none}</style>
"""


def test_scripts_event_handlers_and_javascript_links_are_removed() -> None:
    html = str(render_markdown(ATTACKS)).lower()
    assert "<script" not in html and 'alert("x")' not in html
    assert "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert 'href="javascript' not in html and "href='javascript" not in html
    assert "<iframe" not in html and "<style" not in html and "display:none" not in html
    assert "<img" not in html
    assert "hello" in html and "click" in html and "hover" in html


def test_ordinary_markdown_still_renders() -> None:
    html = str(
        render_markdown(
            "# Top\n\n## What we heard\n\n**Bold**, *it*, [site](https://example.org)\n\n- a\n- b\n"
        )
    )
    assert "<h2>Top</h2>" in html and "<h2>What we heard</h2>" in html  # no second h1 on the page
    assert "<strong>Bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in html
    assert "<li>a</li>" in html


def test_narrative_blocks_are_plain_text_without_raw_html() -> None:
    blocks = narrative_blocks(
        "## Heard\n\nSome <b>bold</b> words\n\n- one\n1. two\n\n| a | b |\n|-|-|\n| 1 | 2 |\n"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Heard"),
        ("paragraph", "Some bold words"),
        ("bullet", "one"),
        ("number", "two"),
        ("table", ""),
    ]
    assert blocks[-1].rows == [["a", "b"], ["1", "2"]]  # a real table, header row first

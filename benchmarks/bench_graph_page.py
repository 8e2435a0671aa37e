"""The graph page's first draw in Chromium at 5,000 nodes: < 2 s from navigation.

Serves the real static/graph/graph.js and the page's markup with a 5,000-node payload built
by the real build_graph + layout, then times navigation start → first draw done.
Run: .venv/bin/python benchmarks/bench_graph_page.py
"""

import functools
import json
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_graph import synthetic_data  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from insights.graph.build import build_graph  # noqa: E402
from insights.graph.layout import layout  # noqa: E402

TARGET_SECONDS = 2.0
NODES = 5_000
PAGE = """<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head><body>
<select id="graph-theme"><option value="">Every theme</option></select>
<input type="checkbox" class="graph-type" value="need" checked>
<input type="checkbox" class="graph-type" value="theme" checked>
<input type="checkbox" class="graph-type" value="dataset" checked>
<input type="checkbox" class="graph-type" value="organisation" checked>
<input type="checkbox" class="graph-type" value="borough" checked>
<input type="checkbox" class="graph-type" value="next-step" checked>
<input id="graph-find" list="graph-labels"><datalist id="graph-labels"></datalist>
<button id="graph-clear">Clear</button>
<div class="graph-frame"><canvas id="graph-canvas" data-src="/data.json"
 data-need-url="/n/0/" data-dataset-url="/d/0/"></canvas><aside id="graph-details"></aside></div>
<p id="graph-status"></p><script src="/graph/graph.js"></script></body></html>"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Say nothing."""


def payload() -> dict[str, object]:
    """About 5,000 nodes, shaped as /graph/data.json returns them."""
    data = synthetic_data()
    data.needs = data.needs[:3900]
    data.datasets = data.datasets[:750]
    keep = {n.id for n in data.needs}
    data.links = [k for k in data.links if k.need_id in keep and k.dataset_id <= 750]
    data.need_themes = [(n, t) for n, t in data.need_themes if n in keep]
    data.dataset_themes = [(d, t) for d, t in data.dataset_themes if d <= 750]
    graph = build_graph(data)
    positions = layout(graph)
    index = {node: i for i, node in enumerate(graph.nodes)}
    nodes = [
        {
            "id": n,
            "type": a["type"],
            "label": str(a.get("label", "")),
            "x": positions[n][0],
            "y": positions[n][1],
            "themes": str(a.get("themes", "")),
            "workshop": "",
        }
        for n, a in graph.nodes(data=True)
    ]
    edges = [[index[u], index[v], k or ""] for u, v, k in graph.edges(data="kind")]
    return {"nodes": nodes, "edges": edges}


def main() -> int:
    """Serve the page, open it in Chromium, read when the first draw finished."""
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "static", folder, dirs_exist_ok=True)
    data = payload()
    (folder / "data.json").write_text(json.dumps(data))
    (folder / "index.html").write_text(PAGE)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_selector("#graph-canvas[data-ready=true]", timeout=30_000)
            ready = int(page.get_attribute("#graph-canvas", "data-ready-at") or 0) / 1000
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder)
    print(f"graph page: {len(data['nodes'])} nodes, {len(data['edges'])} edges")  # type: ignore[arg-type]
    print(
        f"first draw in Chromium: {ready:.2f} s (target {TARGET_SECONDS:.0f} s, "
        f"ratio {ready / TARGET_SECONDS:.2f})"
    )
    return 0 if ready < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

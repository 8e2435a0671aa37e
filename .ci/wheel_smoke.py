"""Smoke test for an installed wheel: the log-in page, a signed-in board and a static file.

Run by .ci/wheel-check with the server's base URL; the demo password comes from the environment.
"""

import http.cookiejar
import os
import re
import sys
import time
import urllib.parse
import urllib.request


def opener() -> urllib.request.OpenerDirector:
    """A client that keeps cookies, like a browser."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(client: urllib.request.OpenerDirector, url: str) -> tuple[str, str]:
    """The page's content type and text."""
    with client.open(url, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def wait_for(client: urllib.request.OpenerDirector, base: str) -> None:
    """Wait until the server answers its health check."""
    for _ in range(120):
        try:
            get(client, base + "/health")
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("the installed app never answered")


def main(base: str) -> None:
    """Log in as the demo facilitator and open the demo board and the style sheet."""
    client = opener()
    wait_for(client, base)
    kind, page = get(client, base + "/auth/login")
    assert kind.startswith("text/html") and "Log in" in page, kind
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no CSRF token on the log-in page"
    form = {
        "csrf_token": token.group(1),
        "email": "facilitator@example.org",
        "password": os.environ["INSIGHTS_DEMO_PASSWORD"],
    }
    data = urllib.parse.urlencode(form).encode()
    with client.open(base + "/auth/login", data=data, timeout=30) as response:
        home = response.read().decode("utf-8")
    slug = re.search(r'href="/workshops/([a-z0-9-]+)/"', home) or re.search(
        r'href="/workshops/([a-z0-9-]+)/', get(client, base + "/workshops/")[1]
    )
    assert slug, "signed in, but no workshop is listed"
    kind, board = get(client, f"{base}/workshops/{slug.group(1)}/board")
    assert kind.startswith("text/html") and "post-it" in board.lower(), kind
    kind, css = get(client, base + "/static/style.css")
    assert kind.startswith("text/css") and len(css) > 100, kind
    print("log-in, board and static file served from the installed wheel")


if __name__ == "__main__":
    main(sys.argv[1])

"""Links from outside (landing pages and the like): only http(s) and mailto are stored or drawn."""

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")


def safe_link(url: object) -> str:
    """The link if it is http(s) with a host, or mailto with an address; otherwise ""."""
    text = str(url or "").strip()
    if not text or any(ord(c) < 33 or c == "\x7f" for c in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed IPv6 host, say
        return ""
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return text
    if scheme == "mailto" and parts.path:
        return text
    return ""

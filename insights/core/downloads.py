"""File downloads: one content type (with its charset said once), an attachment name that
survives any character, and no caching of what may be private."""

import unicodedata
from urllib.parse import quote

from flask import Response

# The content type of each kind of file we send; text types say their encoding once.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def attachment(
    content: bytes, filename: str, content_type: str, *, private: bool = True
) -> Response:
    """A download of the bytes under the name, with the content type exactly as given; not
    stored by browsers or proxies unless it is public (an open-data release)."""
    response = Response(content)
    # Set the header itself: werkzeug's mimetype= appends a second charset to text types.
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = disposition(filename)
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


def disposition(filename: str) -> str:
    """attachment; filename="…" in plain ASCII, with filename*= (RFC 6266) for any other name."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c for c in plain if c.isprintable() and c not in '"\\') or "download"
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"

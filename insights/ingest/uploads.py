"""An upload read once and kept server-side by token for its preview, check and confirm.

The parsed table is written as JSON in a private folder (0600) under a random token; the token
is listed in the uploader's signed session cookie with their account id and what it is for, so
no one else can reach it. The raw bytes are kept beside it only so a person can choose another
sheet or header row. Files are deleted on import or cancel, and swept after a day.
"""

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

import pandas as pd
from flask import abort, current_app, session
from flask_login import current_user

from insights.ingest.reading import Table

UPLOADS_KEY = "pending_uploads"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
MAX_PENDING_UPLOADS = 5
UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def upload_folder() -> Path:
    """The private folder holding uploads between preview and import (IMPORT_UPLOAD_FOLDER)."""
    configured = current_app.config.get("IMPORT_UPLOAD_FOLDER")
    folder = Path(configured or Path(current_app.instance_path) / "imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep_upload(scope: str, filename: str, raw: bytes, table: Table) -> str:
    """Keep a read table (and its bytes) under a new token listed in this person's session."""
    sweep_old_uploads()
    token = secrets.token_urlsafe(24)
    _write(token + ".raw", raw)
    _write(token, json.dumps(table_payload(table)).encode())
    _list_in_session(token, scope, filename)
    return token


def keep_payload(scope: str, filename: str, payload: dict[str, Any]) -> str:
    """Keep something read from an upload that is no table (a catalogue's records, as JSON)
    under a new token listed in this person's session, like keep_upload (no bytes beside it:
    there is no sheet or header row to choose again)."""
    sweep_old_uploads()
    token = secrets.token_urlsafe(24)
    _write(token, json.dumps(payload).encode())
    _list_in_session(token, scope, filename)
    return token


def _list_in_session(token: str, scope: str, filename: str) -> None:
    """List a kept upload in this person's session, forgetting the oldest beyond the limit."""
    pending = dict(session.get(UPLOADS_KEY, {}))
    pending[token] = {"scope": scope, "user": current_user.id, "filename": filename}
    for old in list(pending)[:-MAX_PENDING_UPLOADS]:
        discard_files(old)
        del pending[old]
    session[UPLOADS_KEY] = pending


def pending_payload(scope: str, token: str) -> tuple[dict[str, Any], str]:
    """The kept payload and file name behind a token of this person and scope; 404 otherwise."""
    path = _pending_path(scope, token)
    payload = json.loads(path.read_text(encoding="utf-8"))
    return payload, str(session[UPLOADS_KEY][token]["filename"])


def hand_to_job(token: str) -> None:
    """The upload is now a queued job's: forget it in the session (its preview can no longer
    be confirmed twice) but keep its files until the job has stored it."""
    pending = dict(session.get(UPLOADS_KEY, {}))
    pending.pop(token, None)
    session[UPLOADS_KEY] = pending


def kept_table(token: str) -> Table:
    """The table a job was handed (no session in a worker: the job's params hold the token)."""
    return table_from_payload(kept_payload(token))


def kept_payload(token: str) -> dict[str, Any]:
    """The JSON kept under a token handed to a job; a clear error once it is gone."""
    path = upload_folder() / token
    if not TOKEN_PATTERN.fullmatch(token) or not path.is_file():
        raise FileNotFoundError(
            "The uploaded file is no longer kept (uploads are deleted after a day); "
            "upload it again."
        )
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def replace_table(token: str, table: Table) -> None:
    """Keep a table read again with another sheet or header row under the same token."""
    _write(token, json.dumps(table_payload(table)).encode(), replace=True)


def pending_table(scope: str, token: str) -> tuple[Table, str]:
    """The kept table and file name behind a token of this person and scope; 404 otherwise."""
    path = _pending_path(scope, token)
    payload = json.loads(path.read_text(encoding="utf-8"))
    return table_from_payload(payload), str(session[UPLOADS_KEY][token]["filename"])


def pending_raw(scope: str, token: str) -> bytes:
    """The bytes of a kept upload, to read it again with another sheet or header row."""
    path = _pending_path(scope, token).with_suffix(".raw")
    if not path.is_file():
        abort(404)
    return path.read_bytes()


def discard_upload(token: str) -> None:
    """Forget a pending upload and delete its files."""
    pending = dict(session.get(UPLOADS_KEY, {}))
    pending.pop(token, None)
    session[UPLOADS_KEY] = pending
    discard_files(token)


def discard_files(token: str) -> None:
    """Delete an upload's files, if they are still there."""
    if TOKEN_PATTERN.fullmatch(token):
        for name in (token, token + ".raw"):
            (upload_folder() / name).unlink(missing_ok=True)


def sweep_old_uploads() -> None:
    """Delete uploads abandoned at the preview step more than a day ago."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in upload_folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def table_payload(table: Table) -> dict[str, Any]:
    """A table as plain JSON values."""
    return {
        "columns": table.headers,
        "rows": table.frame.to_numpy(dtype=str).tolist() if len(table.frame.columns) else [],
        "file_format": table.file_format,
        "header_row": table.header_row,
        "sheet": table.sheet,
        "sheets": list(table.sheets),
        "encoding": table.encoding,
        "notes": list(table.notes),
    }


def table_from_payload(payload: dict[str, Any]) -> Table:
    """A table back from its JSON values."""
    frame = pd.DataFrame(payload["rows"], columns=payload["columns"], dtype=str)
    return Table(
        frame=frame,
        file_format=payload["file_format"],
        header_row=int(payload["header_row"]),
        sheet=payload["sheet"],
        sheets=tuple(payload["sheets"]),
        encoding=payload["encoding"],
        notes=tuple(payload["notes"]),
    )


def _pending_path(scope: str, token: str) -> Path:
    """The kept table's path, if the token is this person's for this scope; 404 otherwise."""
    entry = session.get(UPLOADS_KEY, {}).get(token) if TOKEN_PATTERN.fullmatch(token) else None
    if not entry or entry["scope"] != scope or entry["user"] != current_user.id:
        abort(404)
    path = upload_folder() / token
    if not path.is_file():
        abort(404)
    return path


def _write(name: str, data: bytes, *, replace: bool = False) -> None:
    """Write a private file (0600), new unless replacing."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    descriptor = os.open(upload_folder() / name, flags, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)

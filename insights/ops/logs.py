"""Structured request logs: one JSON line per request, for whoever runs the server."""

import json
import logging
import time

from flask import Flask, Response, g, request
from flask_login import current_user

logger = logging.getLogger("insights.requests")


def start_timer() -> None:
    """Note when the request began."""
    g.request_started = time.perf_counter()


def log_request(response: Response) -> Response:
    """Write method, path, status, duration and user of the request as one JSON line."""
    started = g.pop("request_started", None)
    if started is None or request.endpoint == "static":
        return response
    user = current_user.get_id() if current_user and current_user.is_authenticated else None
    logger.info(
        json.dumps(
            {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "user": user,
                "ip": request.remote_addr,
                "endpoint": request.endpoint,
            }
        )
    )
    return response


def register_request_logging(app: Flask) -> None:
    """Log every request as JSON (INFO level on the insights.requests logger)."""
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request(start_timer)
    app.after_request(log_request)

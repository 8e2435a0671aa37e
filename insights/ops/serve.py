"""`insights serve`: the app under gunicorn, sized for a small (2-core) server."""

import multiprocessing
import os
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from insights import create_app

HSTS_YEAR = 365 * 24 * 3600


def default_workers() -> int:
    """Two workers per core, at most four: SQLite and a 2-core box both prefer few processes."""
    return min(4, max(2, multiprocessing.cpu_count()))


class InsightsServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn running our app factory, configured from options rather than a file."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Each worker builds its own app (and database engine) after forking, and loads the
        spaCy pipeline before its first request, so no participant waits for it."""
        app = create_app()
        warm_up(app)
        return app


def warm_up(app: Any) -> None:
    """Load the tagging pipeline for the current taxonomy, and the embedding model with the
    catalogue's scorer that suggestions use, so the first post-it saved waits for neither; a
    failure here is only logged."""
    from insights.datasets.suggestions import catalogue_scorer
    from insights.extensions import db
    from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
    from nlp import embeddings

    with app.app_context():
        try:
            pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))
            embeddings.model()  # loaded even while the catalogue is empty
            catalogue_scorer(db.session)  # encodes the catalogue once (vectors kept on disk)
        except Exception:  # the app still serves; tagging will report its own error
            app.logger.exception(
                "Could not load the tagging pipeline or the embeddings at start-up"
            )
        finally:
            db.session.remove()


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to listen on.")
@click.option("--workers", type=int, default=default_workers, show_default="2 per core, max 4")
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per worker.")
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Allow session cookies over plain HTTP (only without a TLS proxy in front).",
)
def serve_command(bind: str, workers: int, threads: int, insecure_cookies: bool) -> None:
    """Serve the app with gunicorn (gthread workers), for a shared deployment."""
    os.environ.setdefault("INSIGHTS_SESSION_COOKIE_SECURE", "false" if insecure_cookies else "true")
    os.environ.setdefault(
        "INSIGHTS_REMEMBER_COOKIE_SECURE", "false" if insecure_cookies else "true"
    )
    # Served for real (behind TLS): browsers should never try plain HTTP again, for a year.
    os.environ.setdefault("INSIGHTS_HSTS_SECONDS", "0" if insecure_cookies else str(HSTS_YEAR))
    InsightsServer(
        {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": None,
            "max_requests": 2000,
            "max_requests_jitter": 200,
        }
    ).run()

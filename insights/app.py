"""The app factory: configuration, extensions, blueprints, hooks and commands."""

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from insights.assets import asset_folder
from insights.config import load_config
from insights.core.cache import init_cache
from insights.core.routing import BoundedIntConverter
from insights.extensions import csrf, db, limiter, login_manager, migrate
from insights.security import CleanRequest, clean_view_args


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages and commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("INSIGHTS_INSTANCE_PATH") or None,
        template_folder=asset_folder("templates"),
        static_folder=asset_folder("static"),
    )
    app.request_class = CleanRequest
    app.url_value_preprocessor(clean_view_args)
    app.url_map.converters["int"] = BoundedIntConverter
    load_config(app, test_config)
    trust_proxies(app)
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_job_handlers()
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address and scheme from their
    X-Forwarded-For / -Proto headers; with none (the default) those headers are ignored, so
    no client can pick the address its rate limits count against."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the extensions of insights.extensions to this app."""
    from insights import models  # noqa: F401  (every model registered before Alembic looks)
    from insights.jobs.queue import init_queue

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_cache(app)
    init_queue(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def register_job_handlers() -> None:
    """Import every module that registers a job handler, so servers and workers know them."""
    from insights.datasets import jobs  # noqa: F401  ("suggestions")
    from insights.ingest import jobs as import_jobs  # noqa: F401  ("import")
    from insights.themes import retag  # noqa: F401  ("retag")


def register_blueprints(app: Flask) -> None:
    """Attach each feature's blueprint."""
    from insights.auth.views import bp as auth_bp
    from insights.carry.views import bp as carry_bp
    from insights.compare.views import bp as compare_bp
    from insights.datasets.views import bp as datasets_bp
    from insights.graph.views import bp as graph_bp
    from insights.jobs.views import bp as jobs_bp
    from insights.main.views import bp as main_bp
    from insights.nextsteps.views import bp as nextsteps_bp
    from insights.nextsteps.views import overview_bp as nextsteps_overview_bp
    from insights.notices.views import bp as notices_bp
    from insights.ops.views import bp as ops_bp
    from insights.pairwise.views import bp as pairwise_bp
    from insights.pairwise.views import participant_bp as participant_pairwise_bp
    from insights.participate.views import bp as participate_bp
    from insights.pooling.views import bp as pooling_bp
    from insights.projector.views import bp as projector_bp
    from insights.requests.views import bp as requests_bp
    from insights.roundups.views import bp as roundups_bp
    from insights.standards.views import bp as standards_bp
    from insights.statements.io_views import bp as statement_io_bp
    from insights.statements.views import bp as statements_bp
    from insights.submissions.views import bp as submissions_bp
    from insights.themes.views import bp as themes_bp
    from insights.voting.views import bp as votes_bp
    from insights.voting.views import participant_bp as participant_votes_bp
    from insights.workshops.views import bp as workshops_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(ops_bp)
    app.register_blueprint(datasets_bp)
    app.register_blueprint(graph_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(statements_bp)
    app.register_blueprint(statement_io_bp)
    app.register_blueprint(participate_bp)
    app.register_blueprint(projector_bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(roundups_bp)
    app.register_blueprint(compare_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(requests_bp)
    app.register_blueprint(carry_bp)
    app.register_blueprint(notices_bp)
    for blueprint in (
        nextsteps_bp,
        nextsteps_overview_bp,
        votes_bp,
        participant_votes_bp,
        pairwise_bp,
        participant_pairwise_bp,
    ):
        app.register_blueprint(blueprint)
    for blueprint in (standards_bp, submissions_bp, pooling_bp):
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    """Access checks, security headers and error pages."""
    from insights.access import refuse_undeclared_views
    from insights.core.links import safe_link
    from insights.core.pages import page_url
    from insights.core.text import plural
    from insights.errors import register_errorhandlers
    from insights.ops.logs import register_request_logging
    from insights.security import add_security_headers
    from insights.venue.hooks import register_venue

    app.add_template_filter(safe_link, "safe_link")
    app.before_request(refuse_undeclared_views)
    app.after_request(add_security_headers)
    app.add_template_filter(plural, "plural")
    app.add_template_global(page_url, "page_url")
    register_venue(app)
    register_errorhandlers(app)
    if not app.testing:
        register_request_logging(app)


def register_commands(app: Flask) -> None:
    """Add the feature command groups to `insights` / `flask`."""
    from insights.auth.cli import users_cli
    from insights.backup.cli import backup_command, restore_command
    from insights.compare.cli import compare_cli
    from insights.datasets.cli import datasets_cli
    from insights.demo.cli import demo_cli
    from insights.graph.cli import graph_cli
    from insights.jobs.cli import jobs_cli, worker_command
    from insights.nextsteps.cli import nextsteps_cli
    from insights.ops.serve import serve_command
    from insights.pooling.cli import pool_cli
    from insights.roundups.cli import roundup_cli
    from insights.standards.cli import standards_cli
    from insights.statements.cli import statements_cli
    from insights.submissions.cli import submissions_cli
    from insights.themes.cli import nlp_cli
    from insights.venue.cli import venue_command
    from insights.workshops.cli import workshops_cli

    for command in (
        backup_command,
        restore_command,
        serve_command,
        worker_command,
        venue_command,
    ):
        app.cli.add_command(command)
    for group in (users_cli, demo_cli, workshops_cli, statements_cli, datasets_cli, graph_cli):
        app.cli.add_command(group)
    app.cli.add_command(nlp_cli)
    app.cli.add_command(roundup_cli)
    app.cli.add_command(nextsteps_cli)
    for group in (standards_cli, submissions_cli, pool_cli, compare_cli):
        app.cli.add_command(group)
    app.cli.add_command(jobs_cli)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, write-ahead logging, and wait rather than fail when busy."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()

"""The next-steps blueprints, for the app factory to register together."""

from flask import Blueprint

from insights.nextsteps.views import bp, overview_bp
from insights.nextsteps.vote_views import bp as votes_bp
from insights.nextsteps.vote_views import participant_bp

BLUEPRINTS: tuple[Blueprint, ...] = (bp, overview_bp, votes_bp, participant_bp)

"""Nextsteps feature package."""

"""Statements feature package."""

"""Themes feature package."""

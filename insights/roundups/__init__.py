"""Roundups feature package."""

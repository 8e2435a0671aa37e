"""Organisations feature package."""

"""Datasets feature package."""

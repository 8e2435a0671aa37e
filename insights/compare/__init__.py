"""Comparisons across workshops, boroughs and organisation types."""

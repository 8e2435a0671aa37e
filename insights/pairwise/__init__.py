"""Pairwise choices between two next steps, as All Our Ideas runs them."""

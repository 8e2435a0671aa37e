"""Pooling: submissions combined by borough and year, compared, suppressed, shared as open data."""

"""Data requests: asking a publisher or holder for the data that one or more gaps lack."""

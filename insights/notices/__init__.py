"""Telling people: what is new for each member (on their home page, and by email)."""

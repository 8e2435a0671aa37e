"""Workshops, exercises, members and participants."""

"""Voting: dot vote rounds on next steps and needs, for members and participants."""

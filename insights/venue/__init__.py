"""Venue mode: the laptop serves the app on the room's network for phones and the projector."""

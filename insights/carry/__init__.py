"""Carry-forward: undiscussed post-its and next steps moved or copied to the next workshop."""

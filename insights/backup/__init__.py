"""Backup and restore of the whole database as versioned JSON."""

"""Tests of statements: capture, editing, bulk import and export."""

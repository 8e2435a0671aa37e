"""Submissions: member organisations' data sent against a published version of a data standard."""

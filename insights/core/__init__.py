"""The shared core: what several features use, and nothing that belongs to one of them.

The core may read models, never a feature's views, services or commands (see the
import-linter contracts in pyproject.toml).
"""

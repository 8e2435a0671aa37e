"""Demo feature package."""

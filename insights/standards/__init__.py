"""Data standards: a minimum data set drafted from a workshop's needs, versioned and published."""

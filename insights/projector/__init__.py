"""The projector view: every exercise of a workshop live on one screen, with a join panel."""

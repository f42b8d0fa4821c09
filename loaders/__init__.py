"""Loaders: turn one kind of source into validated records of the canonical model."""

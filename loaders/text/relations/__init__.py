"""Relation rules, one module per family of relations, run on one sentence at a time."""

from climatekg.loaders.text.relations.finder import RULES, find_relations

__all__ = ["RULES", "find_relations"]

"""Reviewing extracted facts: the rules both ``climatekg extract`` and the explorer's Import page apply.

A subpackage of its own because two surfaces share it: the CLI must not import the explorer,
nor the explorer the CLI, and the review memory itself (``Rejections``) belongs to the text
loader.
"""

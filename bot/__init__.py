"""Werkpad: a multilingual assistant that helps asylum seekers in the Netherlands get to work."""

__version__ = "0.1.0"

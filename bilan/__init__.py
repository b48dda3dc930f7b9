"""Bilan: the yearly survey-to-action cycle of a network of referents."""

__version__ = "0.1.0"

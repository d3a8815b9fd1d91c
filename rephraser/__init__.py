"""Rephraser: turn a rough prompt into a good one, in place, in any app."""

__all__ = ["__version__"]

__version__ = "0.1.0"

"""Where the shipped data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_templates_dir", "resources_dir"]

_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    # A wheel carries the folder as rephraser/_data/<name> (pyproject force-include); a source checkout or
    # an editable install has it beside the package.
    inside = _PACKAGE / "_data" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def builtin_templates_dir() -> Path:
    """The built-in Jinja2 templates."""
    return _shipped("prompt_templates")


def resources_dir() -> Path:
    """Icons and desktop files."""
    return _shipped("resources")

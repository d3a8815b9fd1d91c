"""Small helpers for digging into provider JSON without tracebacks on unexpected shapes."""

from __future__ import annotations

import json
from typing import Any

from rephraser.core.errors import MalformedResponseError

__all__ = ["data_ids", "dig", "load_json"]


def load_json(text: str, what: str) -> Any:
    """Parse JSON or raise MalformedResponseError naming what was being read."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedResponseError(f"{what} is not valid JSON: {_preview(text)}") from exc


def dig(data: Any, *path: str | int) -> Any:
    """Follow keys and indexes; None when any step is missing or of the wrong kind."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return None
        elif not isinstance(data, dict) or step not in data:
            return None
        data = data[step]
    return data


def data_ids(data: Any) -> list[str]:
    """The sorted `id`s of a `{"data": [{"id": ...}, ...]}` model list (OpenAI and Anthropic share it)."""
    items = dig(data, "data")
    if not isinstance(items, list):
        raise MalformedResponseError("the model list has no `data` array")
    return sorted(str(item["id"]) for item in items if isinstance(item, dict) and "id" in item)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat[:80] + ("..." if len(flat) > 80 else ""))

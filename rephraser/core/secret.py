"""A secret value that never shows itself in reprs, logs or tracebacks."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """Holds an API key; only `reveal()` gives it out, for the one header that needs it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

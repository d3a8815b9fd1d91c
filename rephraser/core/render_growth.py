"""Sizes of what one str method or Jinja2 filter call would build, checked before it runs (the rest of a
render's limits are in render_limits.py): `'x'.ljust(10**9)` or `{{ x | center(10**9) }}` would allocate
in one C call, where no per-step checkpoint can stop it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sized
from typing import Any

from rephraser.core.render_limits import MAX_VALUE_SIZE, check_percent_format, check_size, size_of, too_big

__all__ = ["check_filter", "check_method"]


def _width(args: tuple[Any, ...]) -> int:
    return _number(args[0]) if args else 0


def _replace_size(text: str, args: tuple[Any, ...]) -> int:
    old, new = (*args, "", "")[:2]
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    count = text.count(old) if old else len(text) + 1
    if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
        count = min(count, args[2])
    return len(text) + count * max(0, len(new) - len(old))


def _join_size(separator: str, args: tuple[Any, ...]) -> int:
    parts = args[0] if args else ()
    if not isinstance(parts, list | tuple):
        return 0  # an iterator: its parts are made by checked steps, and memory is watched
    return size_of(parts) + len(separator) * len(parts)


def _translate_size(text: str, args: tuple[Any, ...]) -> int:
    table = args[0] if args else None
    if not isinstance(table, dict):
        return len(text)
    longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
    return len(text) * max(1, longest)


# str methods that can make a much longer string than they are given: the size they would make.
_STR_GROWTH: dict[str, Callable[[str, tuple[Any, ...]], int]] = {
    "center": lambda s, a: max(len(s), _width(a)),
    "ljust": lambda s, a: max(len(s), _width(a)),
    "rjust": lambda s, a: max(len(s), _width(a)),
    "zfill": lambda s, a: max(len(s), _width(a)),
    "expandtabs": lambda s, a: len(s) * max(1, _width(a) if a else 8),
    "replace": _replace_size,
    "join": _join_size,
    "translate": _translate_size,
}


def check_method(method: object, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Refuse a str or list method call whose result would be too big, before it runs; return the
    arguments to call it with (an iterator that `join` or `extend` would consume, made a list to be sized)."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if name in ("join", "extend") and args and not isinstance(args[0], Sized) and isinstance(owner, str | list):
        args = (list(args[0]), *args[1:])
    if isinstance(owner, str) and name in _STR_GROWTH:
        size = _STR_GROWTH[name](owner, args)
        if size > MAX_VALUE_SIZE:
            raise too_big(f"the result of {name}()", size)
    elif isinstance(owner, list) and name in ("append", "insert", "extend"):
        added = len(args[0]) if name == "extend" and args and isinstance(args[0], Sized) else 1
        if len(owner) + added > MAX_VALUE_SIZE:
            raise too_big("a list", len(owner) + added)
    return args


def _arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _number(value: object) -> int:
    return value if isinstance(value, int) else 0


def _lines(text: object) -> int:
    return text.count("\n") + 1 if isinstance(text, str) else 1


def _indent_size(value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    width = _arg(args, kwargs, 0, "width", 4)
    pad = len(width) if isinstance(width, str) else _number(width)
    return size_of(value) + _lines(value) * pad


def _wordwrap_size(value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    width = _arg(args, kwargs, 0, "width", 79)
    wrap = _arg(args, kwargs, 2, "wrapstring", None)
    breaks = len(value) // max(1, _number(width)) + _lines(value) if isinstance(value, str) else 1
    return size_of(value) + breaks * (len(wrap) if isinstance(wrap, str) else 1)


def _join_filter_size(value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    separator = _arg(args, kwargs, 0, "d", "")
    count = len(value) if isinstance(value, Sized) else 0
    return size_of(value) + count * (len(separator) if isinstance(separator, str) else 1)


def _count_size(position: int, name: str) -> Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]:
    """For filters that make as many items as an argument says (batch, slice)."""

    def size(_value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
        return _number(_arg(args, kwargs, position, name, 0))

    return size


# Filters that can make a much bigger value than they are given: the size they would make.
_FILTER_GROWTH: dict[str, Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": lambda v, a, k: max(size_of(v), _number(_arg(a, k, 0, "width", 80))),
    "indent": _indent_size,
    "wordwrap": _wordwrap_size,
    "join": _join_filter_size,
    "batch": _count_size(0, "linecount"),
    "slice": _count_size(0, "slices"),
    "replace": lambda v, a, k: _replace_size(v, a) if isinstance(v, str) else 0,
}


def check_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Refuse a filter call whose result would be too big, before it runs."""
    check_size(value)
    for arg in (*args, *kwargs.values()):
        check_size(arg)
    if name == "format" and isinstance(value, str):
        check_percent_format(value, tuple(args))
    growth = _FILTER_GROWTH.get(name)
    if growth is not None and growth(value, args, kwargs) > MAX_VALUE_SIZE:
        raise too_big(f"the result of the {name} filter", growth(value, args, kwargs))

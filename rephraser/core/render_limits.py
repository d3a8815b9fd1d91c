"""Limits on one template render: time, output, the size of any one value, memory, nesting.

Jinja2's sandbox stops a template from reaching Python's internals, not from running forever or filling
the memory. Everything that can run long or allocate much in a sandboxed template passes through a
checkpoint here: each loop step, call, filter, intercepted operator and `{{ }}` output ticks the render's
`RenderBudget` (the deadline, and the process's resident memory); operations that build a big value in one C
call (`'x' * 10**9`, `'x'.ljust(10**9)`, `10**10**9`, `'%999999999d' % 1`) are refused before they run,
from the sizes of their operands (str methods and filters: render_growth.py). A render outside a budget
(Jinja2 folding constants while compiling) still gets the size checks.
"""

from __future__ import annotations

import contextvars
import os
import re
import string
import time
from collections.abc import Iterable, Iterator, Mapping, Sized
from typing import Any

from jinja2.exceptions import TemplateRuntimeError

__all__ = [
    "MAX_INT_BITS",
    "MAX_MEMORY_GROWTH_BYTES",
    "MAX_OUTPUT_CHARS",
    "MAX_PRODUCED_CHARS",
    "MAX_VALUE_SIZE",
    "RENDER_DEADLINE_S",
    "LimitedIterable",
    "RenderBudget",
    "RenderLimitError",
    "activate",
    "check_binop",
    "check_format",
    "check_percent_format",
    "check_size",
    "current",
    "deactivate",
    "size_of",
    "tick",
    "too_big",
]

# A prompt template renders in about a millisecond; two seconds is a runaway loop, not a slow template.
RENDER_DEADLINE_S = 2.0
# The rewrite of a 100 KB input: ten times that is room for any template, and still no burden to paste.
MAX_OUTPUT_CHARS = 1_000_000
# Characters of one string, items of one list (nested items counted too), digits-worth of an int's bits.
MAX_VALUE_SIZE = 1_000_000
MAX_INT_BITS = 100_000
# Text produced by `{{ }}` anywhere in a render (macros and `set` blocks included), kept or not.
MAX_PRODUCED_CHARS = 10 * MAX_OUTPUT_CHARS
# Growth of the process's resident memory during one render before it is stopped.
MAX_MEMORY_GROWTH_BYTES = 64 * 1024 * 1024
# Time and memory are read every so many checkpoints (a read costs ~1 us; a checkpoint ~50 ns).
_CHECK_EVERY = 128


class RenderLimitError(TemplateRuntimeError):
    """A render went past one of the limits; the message says which, for the template's author."""


class RenderBudget:
    """The limits of one render in progress (one per render, in the thread that renders)."""

    def __init__(self, deadline_s: float = RENDER_DEADLINE_S) -> None:
        self.deadline_s = deadline_s
        self._deadline = time.monotonic() + deadline_s
        self._memory_limit = _resident_bytes() + MAX_MEMORY_GROWTH_BYTES
        self._steps = 0
        self.produced_chars = 0
        self.output_chars = 0

    def tick(self) -> None:
        """One step of work; every `_CHECK_EVERY` steps, the clock and the memory."""
        self._steps += 1
        if self._steps % _CHECK_EVERY == 0:
            self.check_now()

    def check_now(self) -> None:
        """Raise RenderLimitError when the deadline passed or the memory grew past the limit."""
        if time.monotonic() > self._deadline:
            raise RenderLimitError(
                f"rendering took longer than {self.deadline_s:g} s and was stopped (a loop that runs too long?)"
            )
        if _resident_bytes() > self._memory_limit:
            raise RenderLimitError(
                f"rendering used more than {MAX_MEMORY_GROWTH_BYTES // 2**20} MB of memory and was stopped"
            )

    def produce(self, chars: int) -> None:
        """Count text made by `{{ }}`; a flood of it is stopped even when it is thrown away."""
        self.produced_chars += chars
        if self.produced_chars > MAX_PRODUCED_CHARS:
            raise RenderLimitError(f"rendering made more than {MAX_PRODUCED_CHARS:,} characters of text")
        self.tick()

    def emit(self, chars: int) -> None:
        """Count the template's own output."""
        self.output_chars += chars
        if self.output_chars > MAX_OUTPUT_CHARS:
            raise RenderLimitError(f"the output is longer than {MAX_OUTPUT_CHARS:,} characters")


_current: contextvars.ContextVar[RenderBudget | None] = contextvars.ContextVar("rephraser_render_budget", default=None)


def activate(budget: RenderBudget) -> contextvars.Token[RenderBudget | None]:
    """Make `budget` the one the checkpoints of this thread's render tick; `deactivate` undoes it."""
    budget.check_now()
    return _current.set(budget)


def deactivate(token: contextvars.Token[RenderBudget | None]) -> None:
    _current.reset(token)


def current() -> RenderBudget | None:
    """The budget of the render running in this thread, if any."""
    return _current.get()


def tick() -> None:
    """A checkpoint: one step of the current render's budget (none while compiling)."""
    budget = _current.get()
    if budget is not None:
        budget.tick()


class _ResidentMemory:
    """The process's resident memory, read from /proc/self/statm (Linux, where the desktop app runs);
    0 where there is no such file, so that only the size limits apply there."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._page_bytes = 0

    def __call__(self) -> int:
        if self._fd is None:
            try:
                self._fd, self._page_bytes = os.open("/proc/self/statm", os.O_RDONLY), os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, AttributeError):
                self._fd = -1
        if self._fd < 0:
            return 0
        return int(os.pread(self._fd, 64, 0).split()[1]) * self._page_bytes


_resident_bytes = _ResidentMemory()


class LimitedIterable:
    """A `{% for %}` loop's iterable whose every step is a checkpoint (keeps `len()` for `loop.length`)."""

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        budget = _current.get()
        for item in self._iterable:
            if budget is not None:
                budget.tick()
            yield item

    def __len__(self) -> int:
        if isinstance(self._iterable, Sized):
            return len(self._iterable)
        raise TypeError("the loop's iterable has no length")


def too_big(what: str, size: int) -> RenderLimitError:
    return RenderLimitError(
        f"{what} would have {size:,} characters or items; a template value may have at most {MAX_VALUE_SIZE:,}"
    )


_CONTAINERS = (list, tuple, set, frozenset, dict)


def size_of(value: object, limit: int = MAX_VALUE_SIZE) -> int:
    """Characters of strings plus items of containers, nested ones included, counting each reference
    (a list of one string repeated prints it each time); stops counting once past `limit`."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
            continue
        total += 1
        if isinstance(item, _CONTAINERS):
            if len(item) > limit:
                total += len(item)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            else:
                stack.extend(item)
    return total


def check_size(value: object, what: str = "a value") -> object:
    """Return `value` when it is within MAX_VALUE_SIZE; else raise RenderLimitError."""
    if isinstance(value, str):  # the common case, without the walk
        if len(value) > MAX_VALUE_SIZE:
            raise too_big(what, len(value))
        return value
    if not isinstance(value, _CONTAINERS):
        return value
    size = size_of(value)
    if size > MAX_VALUE_SIZE:
        raise RenderLimitError(
            f"{what} is larger than a template value may be ({MAX_VALUE_SIZE:,} characters or items)"
        )
    return value


def _int_bits(value: object) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def check_binop(operator: str, left: object, right: object) -> None:
    """Refuse `*`, `**`, `+` and `%` whose result would be too big, before Python builds it."""
    check_size(left)
    check_size(right)
    sequences = (str, list, tuple)
    if operator == "*":
        if isinstance(left, sequences) and isinstance(right, int):
            _check_repeat(size_of(left), right)
        elif isinstance(right, sequences) and isinstance(left, int):
            _check_repeat(size_of(right), left)
        elif isinstance(left, int) and isinstance(right, int) and _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
            raise RenderLimitError(f"a number would have more than {MAX_INT_BITS:,} bits")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        if right * _int_bits(left) > MAX_INT_BITS and abs(left) > 1:
            raise RenderLimitError(f"a number would have more than {MAX_INT_BITS:,} bits")
    elif operator == "+" and isinstance(left, sequences) and isinstance(right, sequences):
        if size_of(left) + size_of(right) > MAX_VALUE_SIZE:
            raise too_big("a joined value", size_of(left) + size_of(right))
    elif operator == "%" and isinstance(left, str):
        check_percent_format(left, right)


def _check_repeat(size: int, times: int) -> None:
    if size * times > MAX_VALUE_SIZE:
        raise too_big("a repeated value", size * times)


# Width and precision of a `%` conversion: digits, or `*` (taken from the arguments).
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


def check_percent_format(fmt: str, args: object) -> None:
    """Refuse `%` formatting whose widths or precisions would make a huge string."""
    star = False
    for match in _PERCENT_SPEC.finditer(fmt.replace("%%", "")):  # `%%` is a literal percent sign
        for field in match.groups():
            star = star or field == "*"
            if field and field != "*" and _huge(field):
                raise _too_wide()
    if star:
        _check_int_args(args if isinstance(args, tuple) else (args,))


def check_format(fmt: str, args: Iterable[object], kwargs: Mapping[str, object]) -> None:
    """Refuse `str.format` whose format specs ask for a huge width or precision."""
    nested = False
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises the same error for the template
    for _literal, _name, spec, _conversion in fields:
        if spec and "{" in spec:
            nested = True
        if any(_huge(digits) for digits in re.findall(r"\d+", spec or "")):
            raise _too_wide()
    if nested:
        _check_int_args([*args, *kwargs.values()])


def _huge(digits: str) -> bool:
    return len(digits) > 7 or int(digits) > MAX_VALUE_SIZE  # int() of thousands of digits is refused


def _too_wide() -> RenderLimitError:
    return RenderLimitError(f"a formatted field would be wider than {MAX_VALUE_SIZE:,} characters")


def _check_int_args(args: Iterable[object]) -> None:
    if any(isinstance(arg, int) and abs(arg) > MAX_VALUE_SIZE for arg in args):
        raise _too_wide()

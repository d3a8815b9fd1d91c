"""Regular expressions compiled on first use, and skipped outright when the text cannot match.

The CLI starts a process per rewrite; compiling every pattern at import would cost milliseconds that
most prompts never need (a prompt without a digit needs no number pattern).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["LazyPattern"]


class LazyPattern:
    """A pattern compiled on first use.

    Args:
        pattern: the regular expression.
        flags: re flags.
        triggers: strings of which at least one must occur in a text for the pattern to be tried;
            empty means always try.
    """

    def __init__(self, pattern: str, flags: int = 0, triggers: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self._flags = flags
        self._triggers = triggers
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiles it now if needed)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
        return self._compiled

    def _may_match(self, text: str) -> bool:
        return not self._triggers or any(trigger in text for trigger in self._triggers)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text) if self._may_match(text) else None

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text) if self._may_match(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text) if self._may_match(text) else iter(())

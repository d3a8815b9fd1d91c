"""Split a prompt into prose and code/log blocks, keeping every character of both."""

from __future__ import annotations

import re
from typing import NamedTuple

from rephraser.core.lazy_regex import LazyPattern

__all__ = ["CodeBlock", "split_code"]

_FENCE = LazyPattern(
    r"^(?P<fence>```|~~~)(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S, triggers=("```", "~~~")
)

# A line that is almost surely code or log output, even on its own.
_STRONG_LINE = LazyPattern(
    r"^\s*(Traceback \(most recent call last\)|File \".*\", line \d+|at [\w.$<>]+\(.*\)\s*$"
    r"|\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|(ERROR|WARN|WARNING|FATAL|DEBUG)\b[:\]]"
    r"|[A-Z]\w*(Error|Exception)\b:|\$ \S|>>> |#include\b)"
)
# A line that looks like code when it has code-like neighbours.
_CODE_LINE = LazyPattern(
    r"^(\s{4,}|\t)\S|[;{}]\s*$|^\s*(def |class |import |from \S+ import|function |const |let |var |return\b"
    r"|public |private |fn |func |if .*:$|for .*:$|SELECT |INSERT |UPDATE |CREATE |<\w+[^>]*>|#!)"
)


class CodeBlock(NamedTuple):
    """Code or log text from the prompt, verbatim.

    Attributes:
        text: the block's lines, exactly as given (without fence lines).
        info: the fence's language tag, or "" when there was none.
    """

    text: str
    info: str = ""


def split_code(text: str) -> tuple[str, tuple[CodeBlock, ...]]:
    """Return (prose, code blocks): fenced blocks first, then runs of code/log-looking lines."""
    blocks: list[CodeBlock] = []

    def take_fence(match: re.Match[str]) -> str:
        blocks.append(CodeBlock(match["body"].rstrip("\n"), match["info"].strip()))
        return ""

    prose = _FENCE.compiled.sub(take_fence, text) if ("```" in text or "~~~" in text) else text
    prose_lines: list[str] = []
    for run, is_code in _runs(prose.split("\n")):
        if is_code:
            blocks.append(CodeBlock("\n".join(run)))
        else:
            prose_lines.extend(run)
    return _tidy("\n".join(prose_lines)), tuple(blocks)


def _runs(lines: list[str]) -> list[tuple[list[str], bool]]:
    """Group lines into alternating prose and code runs; a code run needs a strong line or two code lines."""
    kinds = [_line_kind(line) for line in lines]
    runs: list[tuple[list[str], bool]] = []
    i = 0
    while i < len(lines):
        j = i
        if kinds[i]:
            while j < len(lines) and (kinds[j] or _blank_inside(lines, kinds, j)):
                j += 1
            run = lines[i:j]
            code_like = "strong" in kinds[i:j] or sum(1 for k in kinds[i:j] if k) >= 2
            runs.append((run, code_like))
        else:
            while j < len(lines) and not kinds[j]:
                j += 1
            runs.append((lines[i:j], False))
        i = j
    return runs


def _line_kind(line: str) -> str:
    if _STRONG_LINE.search(line):
        return "strong"
    return "code" if _CODE_LINE.search(line) else ""


def _blank_inside(lines: list[str], kinds: list[str], index: int) -> bool:
    return not lines[index].strip() and index + 1 < len(lines) and bool(kinds[index + 1])


def _tidy(prose: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", prose).strip()

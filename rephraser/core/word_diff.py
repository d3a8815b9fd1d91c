"""A word diff of a rewrite against the original, for the preview: what stayed, what came, what went."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import NamedTuple

__all__ = ["MAX_DIFF_TOKENS", "Segment", "word_diff"]

# SequenceMatcher is quadratic at worst: past this many tokens a side, the preview shows the text undiffed.
MAX_DIFF_TOKENS = 6000
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class Segment(NamedTuple):
    """A run of the rewrite's text ("same", "added") or of the original's that it no longer has ("removed")."""

    kind: str
    text: str


def word_diff(original: str, rewrite: str) -> list[Segment]:
    """The rewrite as segments, with the original's removed words where they were; whitespace never counts
    as a change on its own. Too long a text gives the rewrite as one "same" segment."""
    old, new = _TOKEN.findall(original), _TOKEN.findall(rewrite)
    if max(len(old), len(new)) > MAX_DIFF_TOKENS:
        return [Segment("same", rewrite)] if rewrite else []
    matcher = SequenceMatcher(lambda token: token.isspace(), old, new, autojunk=False)
    segments: list[Segment] = []
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            _add(segments, "same", "".join(new[new_start:new_end]))
            continue
        removed = "".join(old[old_start:old_end])
        if removed.strip():
            _add(segments, "removed", removed)
        _add(segments, "added", "".join(new[new_start:new_end]))
    return segments


def _add(segments: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if kind != "same" and text.isspace():
        kind = "same"  # a changed space or line break is no news to the reader
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))

"""Separate a model's reasoning (`<think>...</think>`) from its answer, also while streaming.

Reasoning is shown to nobody and never pasted. Tags may be split across chunks, so the filter holds back
the shortest tail that could still begin a tag.
"""

from __future__ import annotations

__all__ = ["ThinkFilter"]

_OPEN, _CLOSE = "<think>", "</think>"


class ThinkFilter:
    """Feed answer text chunk by chunk; get back (answer part, reasoning part) per chunk."""

    def __init__(self) -> None:
        self._inside = False
        self._pending = ""

    def feed(self, chunk: str) -> tuple[str, str]:
        """Split one chunk; text that might start a tag waits for the next chunk."""
        text = self._pending + chunk
        self._pending = ""
        answer: list[str] = []
        reasoning: list[str] = []
        while text:
            tag = _CLOSE if self._inside else _OPEN
            index = text.find(tag)
            if index < 0:
                keep = _partial_tag_length(text, tag)
                body, self._pending = (text[:-keep], text[-keep:]) if keep else (text, "")
                (reasoning if self._inside else answer).append(body)
                break
            (reasoning if self._inside else answer).append(text[:index])
            text = text[index + len(tag) :]
            self._inside = not self._inside
        return "".join(answer), "".join(reasoning)

    def finish(self) -> tuple[str, str]:
        """Flush what was held back at the end of the stream."""
        rest, self._pending = self._pending, ""
        return ("", rest) if self._inside else (rest, "")


def _partial_tag_length(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a proper start of `tag`."""
    for length in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:length]):
            return length
    return 0

"""What a streamed answer has delivered so far: answer text (sent on as it comes) and reasoning, apart."""

from __future__ import annotations

from collections.abc import Callable

from rephraser.core.providers.base import Delta
from rephraser.core.providers.cancel import CancelToken
from rephraser.core.providers.reasoning import ThinkFilter

__all__ = ["OnDelta", "StreamState"]

OnDelta = Callable[[str], None]


class StreamState:
    """What a streamed answer has delivered so far; `started` once any answer text went out."""

    def __init__(self, on_delta: OnDelta | None, token: CancelToken) -> None:
        self.token = token
        self._on_delta = on_delta
        self._filter = ThinkFilter()
        self._text: list[str] = []
        self._reasoning: list[str] = []

    def started(self) -> bool:
        return bool(self._text)

    def add(self, delta: Delta) -> None:
        answer, thought = self._filter.feed(delta.text)
        self._reasoning.append(delta.reasoning + thought)
        if answer:
            self._text.append(answer)
            if self._on_delta is not None and not self.token.cancelled:
                self._on_delta(answer)

    def result(self) -> tuple[str, str]:
        answer, thought = self._filter.finish()
        self._text.append(answer)
        self._reasoning.append(thought)
        return "".join(self._text), "".join(self._reasoning)

"""The stream parser: every line ending, wherever the network cuts the chunks, and its caps."""

from __future__ import annotations

import pytest

from rephraser.core.errors import MalformedResponseError
from rephraser.core.providers.sse import SseEvent, parse_sse, split_lines
from rephraser.core.rewrite import MetaPrompt
from tests.endpoints.conftest import ClientFactory
from tests.helpers.llm_server import FakeLLMServer

BODY = b'data: {"a": 1}\r\n\r\nevent: x\rdata: two\rdata: lines\r\r: comment\ndata: \xc3\xa9t\xc3\xa9\n\ndata: tail'
EVENTS = [
    SseEvent("message", '{"a": 1}'),
    SseEvent("x", "two\nlines"),
    SseEvent("message", "été"),
    SseEvent("message", "tail"),
]


@pytest.mark.parametrize("size", [1, 2, 3, 7, len(BODY)])
def test_every_line_ending_survives_any_chunking(size: int) -> None:
    chunks = [BODY[i : i + size] for i in range(0, len(BODY), size)]
    assert EVENTS == list(parse_sse(split_lines(chunks, 100, "S"), 100, "S"))


def test_a_line_at_the_cap_passes_and_one_past_it_stops() -> None:
    assert ["a" * 10] == list(split_lines([b"a" * 5, b"a" * 5, b"\n"], 11, "S"))
    with pytest.raises(MalformedResponseError) as caught:
        list(split_lines([b"a" * 6, b"a" * 6], 11, "S"))
    assert "S sent a stream line longer than 11 bytes without a line break; stopped reading." == str(caught.value)


def test_an_event_past_the_cap_stops() -> None:
    with pytest.raises(MalformedResponseError) as caught:
        list(parse_sse(["data: 12345", "data: 12345"], 11, "S"))
    assert "S sent a stream event larger than 11 bytes without the blank line that ends it; stopped reading." == (
        str(caught.value)
    )


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_crlf_streams_from_a_real_server(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    frames = {
        "openai": [
            'data: {"choices": [{"index": 0, "delta": {"content": "Task: hi"}}]}\r\n\r\n',
            "data: [DONE]\r\n\r\n",
        ],
        "anthropic": [
            'event: content_block_delta\r\ndata: {"type": "content_block_delta", "index": 0, '
            '"delta": {"type": "text_delta", "text": "Task: hi"}}\r\n\r\n',
            'event: message_stop\r\ndata: {"type": "message_stop"}\r\n\r\n',
        ],
        "gemini": [
            'data: {"candidates": [{"content": {"parts": [{"text": "Task: hi"}]}, "finishReason": "STOP"}]}\r\n\r\n'
        ],
    }
    server.behaviour.raw_frames = frames[provider]
    assert "Task: hi" == make_client(provider, server.url).complete(MetaPrompt("S", "U")).text

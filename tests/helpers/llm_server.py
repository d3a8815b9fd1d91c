"""A real HTTP server on 127.0.0.1 that speaks the OpenAI, Anthropic and Gemini wire formats, with faults.

Tests set `server.behaviour` (what the next responses do) and read `server.requests` (what arrived).
Routes:
  POST /v1/chat/completions                      OpenAI Chat Completions (SSE `data:` chunks, `[DONE]`)
  POST /v1/messages                              Anthropic Messages (named SSE events, `message_stop`)
  POST /v1beta/models/M:streamGenerateContent    Gemini (`alt=sse`, one GenerateContentResponse per event)
  POST /v1beta/models/M:generateContent          Gemini, not streamed
  GET  /v1/models, /v1beta/models                model lists
Hostile endpoints too: redirects (`redirect_to`), error bodies that never come (`stall_error_body`), bytes
dripped one at a time, keep-alive comments forever, and floods of one endless line or one endless event.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Behaviour", "FakeLLMServer", "Recorded", "unaccepting_port"]

FAULTS = (
    "slow_first_byte",
    "stall_mid_stream",
    "reset_mid_stream",
    "malformed_json",
    "malformed_sse",
    "html",
    "huge",
    "no_done",
    "drip",  # the answer's bytes one at a time, `interval_s` apart (never a read timeout)
    "ping",  # half the stream, then ": ping" comments every `interval_s`, never the rest
    "huge_line",  # an SSE body of one `flood_bytes` line without a line break
    "endless_event",  # `flood_bytes` of `data:` lines without the blank line that ends an event
)


@dataclass
class Behaviour:
    """What the server does with the next requests."""

    answer: str | None = None  # None: a rewrite that keeps the prompt's text (see echo_rewrite)
    reasoning: str = ""
    chunks: int = 3
    statuses: list[int] = field(default_factory=list)  # consumed one per request; then 200
    retry_after: str | None = None
    error_message: str = "something went wrong"
    fault: str | None = None
    delay_s: float = 0.0
    stream: bool | None = None  # None: as the request asks
    models: list[str] = field(default_factory=lambda: ["small-model", "big-model"])
    send_done: bool = True
    redirect_to: str | None = None  # every request gets a 307 here: this base URL + its path, or "{path}" filled
    stall_error_body: bool = False  # error statuses send their headers, then never the body
    error_body: bytes | None = None  # error statuses send this text/plain body instead of the JSON error
    raw_body: bytes | None = None  # POSTs get this 200 body (of `raw_type`) instead of the protocol's
    raw_type: str = "application/json"
    raw_frames: list[str] | None = None  # POSTs get an SSE body of exactly these frames
    interval_s: float = 0.5  # "drip": seconds per byte; "ping": seconds between comments
    flood_bytes: int = 0  # "huge_line", "endless_event": how much to send


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeLLMServer:
    """Start with `with FakeLLMServer() as server:`; `server.url` is its base URL.

    Args:
        host: the loopback address to listen on; 127.0.0.2 makes "another host" for redirect tests.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.behaviour = Behaviour()
        self.requests: list[Recorded] = []
        self.arrivals: list[float] = []  # time.monotonic() when each POST's body was read
        self.release = threading.Event()  # ends stalls when the server stops
        self.connections_closed = threading.Event()
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._http = ThreadingHTTPServer((host, 0), handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._http.shutdown()
        self._http.server_close()

    def next_status(self) -> int:
        return self.behaviour.statuses.pop(0) if self.behaviour.statuses else 200


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeLLMServer
    answer = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._record(None)
        state = self.server_state
        if state.behaviour.redirect_to is not None:
            return self._redirect()
        if state.behaviour.fault == "slow_first_byte" or state.behaviour.delay_s:
            state.release.wait(state.behaviour.delay_s or 30)
        status = state.next_status()
        if status != 200:
            return self._error(status)
        if self.path.startswith("/v1beta/models"):
            models = [
                {"name": f"models/{m}", "supportedGenerationMethods": ["generateContent"]}
                for m in state.behaviour.models
            ]
            return self._json({"models": models})
        if self.path.startswith("/v1/models"):
            return self._json(
                {"object": "list", "data": [{"id": m, "object": "model"} for m in state.behaviour.models]}
            )
        self._error(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"null")
        self.server_state.arrivals.append(time.monotonic())
        answer = self.server_state.behaviour.answer
        self.answer = answer if answer is not None else echo_rewrite(body)
        self._record(body)
        state = self.server_state
        behaviour = state.behaviour
        if behaviour.redirect_to is not None:
            return self._redirect()
        if behaviour.fault == "slow_first_byte" or behaviour.delay_s:
            state.release.wait(behaviour.delay_s or 30)
        status = state.next_status()
        if status != 200:
            return self._error(status)
        if behaviour.raw_body is not None:
            return self._send(200, behaviour.raw_type, behaviour.raw_body)
        if behaviour.raw_frames is not None:
            return self._sse_frames(behaviour.raw_frames)
        if behaviour.fault in ("huge_line", "endless_event"):
            return self._flood()
        if behaviour.fault == "html":
            return self._send(200, "text/html", b"<html><body><h1>Welcome to nginx!</h1></body></html>")
        if behaviour.fault == "huge":
            return self._send(200, "application/json", b'{"x": "' + b"a" * 20_000_000 + b'"}')
        if behaviour.fault == "malformed_json":
            return self._send(200, "application/json", b'{"choices": [ {"message": ')
        path = self.path.split("?")[0]
        wants_stream = bool(body.get("stream")) if isinstance(body, dict) else False
        if ":streamGenerateContent" in path:
            wants_stream = True
        stream = wants_stream if behaviour.stream is None else behaviour.stream
        if path == "/v1/chat/completions":
            return self._openai(stream)
        if path == "/v1/messages":
            return self._anthropic(stream)
        if path.startswith("/v1beta/models/"):
            return self._gemini(stream)
        self._error(404)

    # -- protocols ---------------------------------------------------------------------------------

    def _openai(self, stream: bool) -> None:
        b = self.server_state.behaviour
        if not stream:
            message = {"role": "assistant", "content": self.answer}
            if b.reasoning:
                message["reasoning_content"] = b.reasoning
            return self._json(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                }
            )
        events = [("", {"choices": [{"index": 0, "delta": {"role": "assistant"}}]})]
        if b.reasoning:
            events.append(("", {"choices": [{"index": 0, "delta": {"reasoning_content": b.reasoning}}]}))
        events += [
            ("", {"choices": [{"index": 0, "delta": {"content": piece}}]}) for piece in _pieces(self.answer, b.chunks)
        ]
        if b.fault != "no_done":
            events.append(("", {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
        self._sse(events, done=b.fault != "no_done" and b.send_done)

    def _anthropic(self, stream: bool) -> None:
        b = self.server_state.behaviour
        if not stream:
            content = [{"type": "thinking", "thinking": b.reasoning}] if b.reasoning else []
            content.append({"type": "text", "text": self.answer})
            return self._json(
                {"id": "msg", "type": "message", "role": "assistant", "content": content, "stop_reason": "end_turn"}
            )
        events: list[tuple[str, Any]] = [
            ("message_start", {"type": "message_start", "message": {"id": "msg", "content": []}})
        ]
        events.append(("ping", {"type": "ping"}))
        if b.reasoning:
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "thinking_delta", "thinking": b.reasoning},
                    },
                )
            )
        events.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
            )
        )
        events += [
            (
                "content_block_delta",
                {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": piece}},
            )
            for piece in _pieces(self.answer, b.chunks)
        ]
        events.append(("content_block_stop", {"type": "content_block_stop", "index": 1}))
        events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}}))
        if b.fault != "no_done":
            events.append(("message_stop", {"type": "message_stop"}))
        self._sse(events, done=False)

    def _gemini(self, stream: bool) -> None:
        b = self.server_state.behaviour

        def response(text: str, thought: bool = False, finish: bool = False) -> dict[str, Any]:
            part: dict[str, Any] = {"text": text}
            if thought:
                part["thought"] = True
            candidate: dict[str, Any] = {"content": {"role": "model", "parts": [part]}, "index": 0}
            if finish:
                candidate["finishReason"] = "STOP"
            return {"candidates": [candidate]}

        if not stream:
            whole = response(self.answer, finish=True)
            if b.reasoning:
                whole["candidates"][0]["content"]["parts"].insert(0, {"text": b.reasoning, "thought": True})
            return self._json(whole)
        events: list[tuple[str, Any]] = []
        if b.reasoning:
            events.append(("", response(b.reasoning, thought=True)))
        pieces = _pieces(self.answer, b.chunks)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1 and b.fault != "no_done"
            events.append(("", response(piece, finish=last)))
        self._sse(events, done=False)

    # -- transport ---------------------------------------------------------------------------------

    def _sse(self, events: list[tuple[str, Any]], done: bool) -> None:
        b = self.server_state.behaviour
        frames = [(f"event: {name}\n" if name else "") + f"data: {json.dumps(data)}\n\n" for name, data in events]
        if done:
            frames.append("data: [DONE]\n\n")
        if b.fault == "malformed_sse":
            frames.insert(1, "data: {not json at all\n\n")
        self._sse_frames(frames)

    def _sse_frames(self, frames: list[str]) -> None:
        self._sse_headers()
        # A client that gives up (cancel, timeout, size limit) closes its end: that ends the response.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._write_frames(frames)
        self.close_connection = True

    def _sse_headers(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()

    def _write_frames(self, frames: list[str]) -> None:
        b = self.server_state.behaviour
        if b.fault == "drip":
            return self._drip("".join(frames).encode())
        half = max(1, len(frames) // 2)
        for number, frame in enumerate(frames):
            if number == half and b.fault == "stall_mid_stream":
                self.wfile.flush()
                self.server_state.release.wait(30)
                return
            if number == half and b.fault == "ping":
                return self._ping_forever()
            if number == half and b.fault == "reset_mid_stream":
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                return
            self.wfile.write(frame.encode())
            self.wfile.flush()

    def _drip(self, data: bytes) -> None:
        """One byte every `interval_s`: each read gets something, so only a whole-request deadline ends it."""
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            if self.server_state.release.wait(self.server_state.behaviour.interval_s):
                return

    def _ping_forever(self) -> None:
        self.wfile.flush()
        while not self.server_state.release.wait(self.server_state.behaviour.interval_s):
            self.wfile.write(b": ping\n\n")
            self.wfile.flush()

    def _flood(self) -> None:
        """`flood_bytes` of one line with no line break, or of `data:` lines with no blank line."""
        b = self.server_state.behaviour
        self._sse_headers()
        if b.fault == "huge_line":
            head, block = b"data: ", b"a" * 65_536
        else:
            head, block = b"", b"data: " + b"a" * 1_000 + b"\n"
        block *= max(1, 65_536 // len(block))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(head)
            for _ in range(-(-b.flood_bytes // len(block))):
                self.wfile.write(block)
        self.close_connection = True

    def _redirect(self) -> None:
        target = str(self.server_state.behaviour.redirect_to)
        location = target.replace("{path}", self.path) if "{path}" in target else target + self.path
        self.send_response(307)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _json(self, data: Any) -> None:
        self._send(200, "application/json", json.dumps(data).encode())

    def _error(self, status: int) -> None:
        b = self.server_state.behaviour
        body = json.dumps({"error": {"message": b.error_message, "type": "error"}}).encode()
        kind = "application/json"
        if b.error_body is not None:
            body, kind = b.error_body, "text/plain"
        self.send_response(status)
        if status == 429 and b.retry_after is not None:
            self.send_header("Retry-After", b.retry_after)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if b.stall_error_body:
            self.wfile.flush()
            self.server_state.release.wait(30)
            self.close_connection = True
            return
        self.wfile.write(body)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may stop reading (the size limit): that is what such a test checks.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.server_state.behaviour.fault == "drip":
                return self._drip(body)
            self.wfile.write(body)

    def _record(self, body: Any) -> None:
        if len(self.server_state.requests) > 10_000:  # a benchmark's thousands of requests
            del self.server_state.requests[:5_000]
        self.server_state.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))


def echo_rewrite(body: Any) -> str:
    """What a well-behaved model answers: the original prompt (the JSON string between the data tags of the
    user message, in any of the three wire formats), restructured around placeholders."""
    if isinstance(body, dict) and "contents" in body:
        message = body["contents"][-1]["parts"][0]["text"]
    elif isinstance(body, dict) and body.get("messages"):
        message = body["messages"][-1]["content"]
    else:
        return "Task: [the task]"
    _, found, after = str(message).partition("<prompt_to_rewrite>\n")
    if not found:
        return "Task: [the task]"
    return f"Task: {json.loads(after.split(chr(10), 1)[0])}\nOutput format: [the format]"


def _pieces(text: str, count: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, count)))
    return [text[i : i + size] for i in range(0, len(text), size)]


class unaccepting_port:
    """A loopback port whose accept queue is full: connecting to it times out (connect-timeout fault)."""

    def __enter__(self) -> int:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(0)
        port = self._server.getsockname()[1]
        self._fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            self._fillers.append(filler)
        time.sleep(0.05)
        return int(port)

    def __exit__(self, *exc: object) -> None:
        for sock in [*self._fillers, self._server]:
            sock.close()


def free_port() -> int:
    """A port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])

"""The HTTP side of the model path: one request at a time, with timeouts, safe retries, streaming,
cancellation from any thread, and every failure mapped to a ProviderError a user can act on."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

import httpx

from rephraser.core.errors import (
    AuthenticationError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    MalformedResponseError,
    ModelNotFoundError,
    ProviderError,
    RateLimitedError,
    RequestCancelledError,
    ServerError,
)
from rephraser.core.providers._json import load_json
from rephraser.core.providers.base import Completion, Delta, ModelParams, Provider, RequestSpec
from rephraser.core.providers.cancel import CancelToken
from rephraser.core.providers.reasoning import ThinkFilter
from rephraser.core.providers.retry import RetryPolicy, retry_after_s
from rephraser.core.providers.sse import parse_sse
from rephraser.core.secret import Secret

__all__ = ["MAX_RESPONSE_BYTES", "ModelClient"]

log = logging.getLogger("rephraser.model")

# A rewritten prompt is a few KB; past this an endpoint is sending something else.
MAX_RESPONSE_BYTES = 4_000_000
MAX_MODEL_LIST_BYTES = 16_000_000

OnDelta = Callable[[str], None]
T = TypeVar("T")


class ModelClient:
    """Talks to one configured endpoint. Thread-safe for one request at a time per instance."""

    def __init__(
        self,
        provider: Provider,
        configured_base_url: str,
        key: Secret | None,
        params: ModelParams,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = provider.base_url(configured_base_url)
        self.params = params
        self._key = key
        self._retry = retry or RetryPolicy()
        timeout = httpx.Timeout(
            connect=params.connect_timeout_s,
            read=params.read_timeout_s,
            write=params.read_timeout_s,
            pool=params.connect_timeout_s,
        )
        self.http = httpx.Client(timeout=timeout, follow_redirects=True, trust_env=False)

    def __repr__(self) -> str:
        return f"ModelClient({self.provider.name}, {self.base_url}, model={self.params.model!r})"

    def close(self) -> None:
        self.http.close()

    def known_secrets(self) -> tuple[str, ...]:
        """The key this client sends: a reply that contains it is never pasted (core.judge)."""
        return (self._key.reveal(),) if self._key else ()

    def complete(
        self,
        meta: Any,
        on_delta: OnDelta | None = None,
        cancel: CancelToken | None = None,
        stream: bool = True,
    ) -> Completion:
        """Ask for a rewrite of `meta` (a MetaPrompt); return the whole answer, reasoning separated.

        `on_delta` receives answer text as it streams (progress only: on any failure nothing is returned).

        Raises:
            ProviderError: a subclass saying what went wrong and what to do.
        """
        self._require_key()
        token = cancel or CancelToken()
        key = self._key.reveal() if self._key else None
        spec = self.provider.chat_request(self.base_url, meta, self.params, key, stream)
        state = _StreamState(on_delta, token)
        completion = _run_cancellable(
            lambda: self._retry.run(lambda: self._complete_once(spec, state), token, state.started), token
        )
        if not completion.text.strip():
            raise MalformedResponseError(f"{self.provider.title} returned an empty answer (model {self.params.model}).")
        return completion

    def list_models(self, cancel: CancelToken | None = None) -> list[str]:
        """The endpoint's model ids.

        Raises:
            ProviderError
        """
        token = cancel or CancelToken()
        key = self._key.reveal() if self._key else None
        spec = self.provider.models_request(self.base_url, key)

        def once() -> list[str]:
            with self._send(spec, token) as response:
                body = _read_limited(response, MAX_MODEL_LIST_BYTES, self.provider.title)
            return self.provider.parse_models(load_json(body, "the model list"))

        return _run_cancellable(lambda: self._retry.run(once, token, lambda: False), token)

    # -- one attempt -------------------------------------------------------------------------------

    def _complete_once(self, spec: RequestSpec, state: _StreamState) -> Completion:
        with self._send(spec, state.token) as response:
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "text/event-stream":
                return self._read_stream(response, state)
            body = _read_limited(response, MAX_RESPONSE_BYTES, self.provider.title)
            if kind == "text/html" or body.lstrip().startswith("<"):
                raise MalformedResponseError(self._html_message())
            return self._finish(self.provider.parse_completion(load_json(body, "the answer")), state)

    def _read_stream(self, response: httpx.Response, state: _StreamState) -> Completion:
        decoder = self.provider.stream_decoder()
        received = 0
        for event in parse_sse(_lines(response)):
            received += len(event.data)
            if received > MAX_RESPONSE_BYTES:
                raise MalformedResponseError(
                    f"{self.provider.title} streamed more than {MAX_RESPONSE_BYTES // 1_000_000} MB; stopped reading."
                )
            for delta in decoder.feed(event):
                state.add(delta)
        if not decoder.complete:
            raise MalformedResponseError(
                f"The stream from {self.provider.title} ended before the answer was complete; try again."
            )
        return self._finish(Delta(), state)

    def _finish(self, last: Delta, state: _StreamState) -> Completion:
        state.add(last)
        text, reasoning = state.result()
        return Completion(text.strip(), reasoning, self.params.model)

    def _send(self, spec: RequestSpec, token: CancelToken) -> _Response:
        return _Response(self, spec, token)

    # -- errors ------------------------------------------------------------------------------------

    def _require_key(self) -> None:
        if self.provider.key_required and not self._key:
            raise AuthenticationError(
                f"No API key is set for {self.provider.title}. Run `rephraser key set {self.provider.name}` "
                f"or set {self.provider.key_env}."
            )

    def _html_message(self) -> str:
        return (
            f"{self.provider.title} at {self.base_url} answered with a web page, not the API. "
            "Check base_url (`rephraser config set base_url URL`)."
        )

    def raise_for_status(self, response: httpx.Response, spec: RequestSpec) -> None:
        """Turn a non-2xx answer into the matching ProviderError."""
        status = response.status_code
        if status < 400:
            return
        detail = self._detail(response)
        title, name = self.provider.title, self.provider.name
        if status in (401, 403):
            fix = f"Set it with `rephraser key set {name}` or {self.provider.key_env}."
            raise AuthenticationError(f"{title} rejected the API key (HTTP {status}){detail}. {fix}")
        if status == 404:
            raise ModelNotFoundError(self._not_found_message(detail))
        if status == 429:
            wait = retry_after_s(response.headers.get("retry-after"))
            when = f"; try again in {wait:g} s" if wait is not None else "; try again shortly"
            raise RateLimitedError(f"{title} is rate limiting requests (HTTP 429){detail}{when}.", wait)
        if status >= 500:
            raise ServerError(f"{title} failed with a server error (HTTP {status}){detail}. Try again later.", status)
        raise ProviderError(f"{title} refused the request (HTTP {status}){detail}. Check model and settings.")

    def _detail(self, response: httpx.Response) -> str:
        try:
            body = _read_limited(response, 64_000, self.provider.title)
        except ProviderError:
            return ""
        if body.lstrip().startswith("<"):
            return " (the server sent a web page)"
        try:
            message = self.provider.error_detail(load_json(body, "error"))
        except MalformedResponseError:
            message = " ".join(body.split())[:120]
        if message and self._key:
            message = message.replace(self._key.reveal(), "***")
        return f": {message}" if message else ""

    def _not_found_message(self, detail: str) -> str:
        where = f"{self.provider.title} at {self.base_url}"
        base = f'{where} has no model "{self.params.model}" or no such API path (HTTP 404){detail}.'
        try:
            models = self.list_models()
        except ProviderError:
            return f"{base} Check base_url and model (`rephraser config set model NAME`)."
        shown = ", ".join(models[:12]) + (", ..." if len(models) > 12 else "")
        return f"{base} Available models: {shown or 'none listed'}. Set one with `rephraser config set model NAME`."

    def translate(self, error: httpx.HTTPError, spec: RequestSpec, token: CancelToken) -> NoReturn:
        """Map an httpx failure to a ProviderError."""
        if token.cancelled:
            raise RequestCancelledError("Cancelled.") from None
        title, url = self.provider.title, self.base_url
        if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
            raise EndpointTimeoutError(
                f"{title} at {url} did not accept a connection within {self.params.connect_timeout_s:g} s "
                "(connect_timeout_s). Is the server running?"
            ) from None
        if isinstance(error, httpx.TimeoutException):
            raise EndpointTimeoutError(
                f"{title} at {url} sent nothing for {self.params.read_timeout_s:g} s (read_timeout_s); "
                "the model may be loading or overloaded."
            ) from None
        if isinstance(error, httpx.ConnectError):
            raise EndpointUnreachableError(
                f"Cannot reach {title} at {url} ({_reason(error)}). Check that the server is running and "
                "that base_url is right (`rephraser config set base_url URL`)."
            ) from None
        if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            raise ServerError(
                f"The connection to {title} at {url} broke before the answer was complete; try again."
            ) from None
        raise EndpointUnreachableError(f"Cannot talk to {title} at {url} ({_reason(error)}).") from None


class _Response:
    """Context manager: send a request, register its socket with the token, check its status."""

    def __init__(self, client: ModelClient, spec: RequestSpec, token: CancelToken) -> None:
        self._client, self._spec, self._token = client, spec, token
        self._response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        client, spec, token = self._client, self._spec, self._token
        if token.cancelled:
            raise RequestCancelledError("Cancelled.")
        log.debug("%s %s", spec.method, spec.url)
        started = time.perf_counter()
        request = client.http.build_request(
            spec.method, spec.url, headers=spec.headers, json=spec.body, extensions={"trace": _tracer(token)}
        )
        try:
            self._response = client.http.send(request, stream=True)
        except httpx.HTTPError as error:
            client.translate(error, spec, token)
        log.debug("HTTP %d after %.1f ms", self._response.status_code, (time.perf_counter() - started) * 1000)
        try:
            client.raise_for_status(self._response, spec)
        except BaseException:
            self._response.close()
            raise
        return self._response

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._response is not None:
            self._response.close()
        if isinstance(error, httpx.HTTPError):
            self._client.translate(error, self._spec, self._token)


class _StreamState:
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


def _tracer(token: CancelToken) -> Callable[[str, dict[str, Any]], None]:
    """httpcore reports each new connection; hand its socket to the token so cancel can shut it down."""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                token.track(sock)

    return trace


def _run_cancellable(work: Callable[[], T], token: CancelToken) -> T:
    """Run `work` in a worker thread; return its result, or raise RequestCancelledError the moment the
    token is cancelled (the worker's sockets are shut down and it ends on its own)."""
    outcome: list[Any] = []
    done = threading.Event()

    def worker() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the caller below
            outcome.append((False, error))
        finally:
            done.set()

    token.wake_on_cancel(done)
    threading.Thread(target=worker, name="rephraser-model-request", daemon=True).start()
    done.wait()
    if token.cancelled:  # cancel wins, even over an answer that arrived in the same instant
        raise RequestCancelledError("Cancelled.")
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _read_limited(response: httpx.Response, limit: int, title: str) -> str:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise MalformedResponseError(f"{title} sent more than {limit // 1_000_000} MB; stopped reading.")
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _lines(response: httpx.Response) -> Iterator[str]:
    yield from response.iter_lines()


def _reason(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return text

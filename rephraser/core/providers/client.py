"""The HTTP side of the model path: one request at a time, with timeouts, a whole-request deadline, safe
retries, streaming, cancellation from any thread, bounded memory, no redirects, and every failure mapped
to a ProviderError a user can act on, with the key and base_url's credentials masked."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any, NamedTuple, NoReturn, TypeVar

import httpx

from rephraser.core.errors import (
    AuthenticationError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    MalformedResponseError,
    ModelNotFoundError,
    ProviderError,
    RateLimitedError,
    RedirectError,
    RequestCancelledError,
    ServerError,
)
from rephraser.core.providers._json import load_json
from rephraser.core.providers.base import Completion, Delta, ModelParams, Provider, RequestSpec
from rephraser.core.providers.cancel import CancelToken
from rephraser.core.providers.redact import Redactor, safe_url
from rephraser.core.providers.retry import RetryPolicy, retry_after_s
from rephraser.core.providers.sse import parse_sse, size_text, split_lines
from rephraser.core.providers.stream_state import OnDelta, StreamState
from rephraser.core.providers.transport import (
    DeadlinePassed,
    chunks,
    read_limited,
    read_within,
    run_in_worker,
    tracer,
    track_response,
)
from rephraser.core.secret import Secret

__all__ = ["Limits", "ModelClient"]

log = logging.getLogger("rephraser.model")

T = TypeVar("T")


class Limits(NamedTuple):
    """How much an endpoint may send before Rephraser stops reading, and how long an error body may take."""

    response_bytes: int = 4_000_000  # a rewritten prompt is a few KB; past this it is something else
    model_list_bytes: int = 16_000_000
    sse_line_bytes: int = 1_000_000  # a streamed chunk is a few hundred bytes
    sse_event_bytes: int = 4_000_000
    error_body_bytes: int = 64_000
    error_body_wait_s: float = 2.0  # then the status alone decides (never longer than read_timeout_s)


class ModelClient:
    """Talks to one configured endpoint. Thread-safe for one request at a time per instance."""

    def __init__(
        self,
        provider: Provider,
        configured_base_url: str,
        key: Secret | None,
        params: ModelParams,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = provider.base_url(configured_base_url)
        self.shown_url = safe_url(self.base_url)  # for messages and logs: no credentials
        self.params = params
        self.limits = limits or Limits()
        self._key = key
        self._redact = Redactor(key.reveal() if key else None, self.base_url)
        self._retry = retry or RetryPolicy()
        timeout = httpx.Timeout(
            connect=params.connect_timeout_s,
            read=params.read_timeout_s,
            write=params.read_timeout_s,
            pool=params.connect_timeout_s,
        )
        # Never follow redirects: httpx would carry x-api-key / x-goog-api-key and the prompt to any host.
        # identity: httpx would inflate a compressed body before our size caps see it (a small gzip
        # chunk can become megabytes)
        self.http = httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False, headers={"Accept-Encoding": "identity"}
        )

    def __repr__(self) -> str:
        return f"ModelClient({self.provider.name}, {self.shown_url}, model={self.params.model!r})"

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
        key = self._key.reveal() if self._key else None
        spec = self.provider.chat_request(self.base_url, meta, self.params, key, stream)

        def attempts(token: CancelToken) -> Completion:
            state = StreamState(on_delta, token)
            return self._retry.run(lambda: self._complete_once(spec, state), token, state.started)

        masked_before = self._redact.masked
        completion = self._run(attempts, cancel)
        if not completion.text.strip():
            raise MalformedResponseError(f"{self.provider.title} returned an empty answer (model {self.params.model}).")
        return completion._replace(secret_echoed=self._redact.masked > masked_before)

    def list_models(self, cancel: CancelToken | None = None) -> list[str]:
        """The endpoint's model ids.

        Raises:
            ProviderError
        """
        spec = self.provider.models_request(self.base_url, self._key.reveal() if self._key else None)
        return self._run(lambda token: self._retry.run(lambda: self._models_once(spec, token), token, _never), cancel)

    def _run(self, work: Callable[[CancelToken], T], cancel: CancelToken | None) -> T:
        """Run `work` off this thread; cancel and the whole-request deadline both end the wait at once.

        Every ProviderError leaves here with the key and base_url's credentials masked.
        """
        deadline_s = self.params.request_deadline_s
        try:
            return run_in_worker(lambda token: self._guarded(work, token), cancel or CancelToken(), deadline_s)
        except DeadlinePassed as passed:
            raise EndpointTimeoutError(
                f"{self.provider.title} at {self.shown_url} did not finish answering within {deadline_s:g} s "
                "(request_deadline_s); try again, or raise request_deadline_s for slow models."
            ) from passed
        except ProviderError as error:
            # The last net: endpoint text was masked as it arrived, but no message may carry a secret.
            error.args = tuple(self._redact(arg) if isinstance(arg, str) else arg for arg in error.args)
            raise

    def _guarded(self, work: Callable[[CancelToken], T], token: CancelToken) -> T:
        try:
            return work(token)
        except httpx.HTTPError as error:  # one that slipped past the request's own translation
            self.translate(error, token)
        except httpx.InvalidURL as error:  # not an HTTPError: the address itself cannot be used
            raise EndpointUnreachableError(
                f"The endpoint address {self.shown_url} is not a valid URL ({self._redact(str(error))}); fix it "
                "with `rephraser config set base_url URL`."
            ) from error

    # -- one attempt -------------------------------------------------------------------------------

    def _models_once(self, spec: RequestSpec, token: CancelToken) -> list[str]:
        with self._send(spec, token) as response:
            body = self._read_body(response, self.limits.model_list_bytes)
        return self.provider.parse_models(load_json(body, "the model list"))

    def _complete_once(self, spec: RequestSpec, state: StreamState) -> Completion:
        with self._send(spec, state.token) as response:
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "text/event-stream":
                return self._read_stream(response, state)
            body = self._read_body(response, self.limits.response_bytes)
            if kind == "text/html" or body.lstrip().startswith("<"):
                raise MalformedResponseError(self._html_message())
            return self._finish(self.provider.parse_completion(load_json(body, "the answer")), state)

    def _read_body(self, response: httpx.Response, limit_bytes: int) -> str:
        # Masked before anything reads it: an excerpt cut mid-key must not show the key's first half.
        return self._redact(read_limited(response, limit_bytes, self.provider.title))

    def shown(self, url: str) -> str:
        """A URL as messages and logs may show it: without credentials or the key."""
        return self._redact(safe_url(url))

    def _read_stream(self, response: httpx.Response, state: StreamState) -> Completion:
        decoder = self.provider.stream_decoder()
        title, limits = self.provider.title, self.limits
        # Masked line by line: error events quote their text, and an answer must never paste the key.
        lines = map(self._redact, split_lines(chunks(response, state.token), limits.sse_line_bytes, title))
        received = 0
        for event in parse_sse(lines, limits.sse_event_bytes, title):
            received += len(event.data)
            if received > limits.response_bytes:
                raise MalformedResponseError(
                    f"{title} streamed more than {size_text(limits.response_bytes)}; stopped reading."
                )
            for delta in decoder.feed(event):
                state.add(delta)
        if not decoder.complete:
            raise MalformedResponseError(
                f"The stream from {self.provider.title} ended before the answer was complete; try again."
            )
        return self._finish(Delta(), state)

    def _finish(self, last: Delta, state: StreamState) -> Completion:
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
            f"{self.provider.title} at {self.shown_url} answered with a web page, not the API. "
            "Check base_url (`rephraser config set base_url URL`)."
        )

    def raise_for_status(self, response: httpx.Response, spec: RequestSpec, token: CancelToken) -> None:
        """Turn a non-2xx answer into the matching ProviderError."""
        status = response.status_code
        if 300 <= status < 400:
            raise RedirectError(self._redirect_message(response, spec))
        if status < 400:
            return
        detail = self._detail(response)
        title, name = self.provider.title, self.provider.name
        if status in (401, 403):
            fix = f"Set it with `rephraser key set {name}` or {self.provider.key_env}."
            raise AuthenticationError(f"{title} rejected the API key (HTTP {status}){detail}. {fix}")
        if status == 404:
            raise ModelNotFoundError(self._not_found_message(detail, token))
        if status == 429:
            wait = retry_after_s(response.headers.get("retry-after"))
            when = f"; try again in {wait:g} s" if wait is not None else "; try again shortly"
            raise RateLimitedError(f"{title} is rate limiting requests (HTTP 429){detail}{when}.", wait)
        if status >= 500:
            raise ServerError(f"{title} failed with a server error (HTTP {status}){detail}. Try again later.", status)
        raise ProviderError(f"{title} refused the request (HTTP {status}){detail}. Check model and settings.")

    def _redirect_message(self, response: httpx.Response, spec: RequestSpec) -> str:
        where, status = f"{self.provider.title} at {self.shown_url}", response.status_code
        location = response.headers.get("location", "").strip()
        if not location:
            return f"{where} answered with a redirect (HTTP {status}) that names no address. Check base_url."
        with contextlib.suppress(httpx.InvalidURL, ValueError):  # unparsable: shown as sent
            location = str(response.url.join(location))  # a relative Location is relative to the request
        shown = self.shown(location)
        tail = spec.url.removeprefix(self.base_url)  # what the provider adds to base_url for this request
        suggested = shown.removesuffix(tail) if tail and shown.endswith(tail) and shown != tail else "it"
        return (
            f"{where} redirected the request to {shown} (HTTP {status}). Rephraser does not follow redirects, so "
            "your key and text reach only the address you set: if the new address is right, set base_url to "
            f"{suggested} (`rephraser config set base_url URL`)."
        )

    def _detail(self, response: httpx.Response) -> str:
        wait_s = min(self.limits.error_body_wait_s, self.params.read_timeout_s)
        body = read_within(response, self.limits.error_body_bytes, wait_s, self.provider.title)
        if body is None:  # too large or too slow: the status alone says what happened
            return ""
        body = self._redact(body)
        if body.lstrip().startswith("<"):
            return " (the server sent a web page)"
        try:
            message = self.provider.error_detail(load_json(body, "error"))
        except MalformedResponseError:
            message = " ".join(body.split())[:120]
        return f": {message}" if message else ""

    def _not_found_message(self, detail: str, token: CancelToken) -> str:
        where = f"{self.provider.title} at {self.shown_url}"
        base = f'{where} has no model "{self.params.model}" or no such API path (HTTP 404){detail}.'
        try:
            key = self._key.reveal() if self._key else None
            models = self._models_once(self.provider.models_request(self.base_url, key), token)
        except ProviderError:
            return f"{base} Check base_url and model (`rephraser config set model NAME`)."
        shown = ", ".join(models[:12]) + (", ..." if len(models) > 12 else "")
        return f"{base} Available models: {shown or 'none listed'}. Set one with `rephraser config set model NAME`."

    def translate(self, error: httpx.HTTPError, token: CancelToken) -> NoReturn:
        """Map an httpx failure to a ProviderError."""
        if token.cancelled:
            raise RequestCancelledError("Cancelled.") from error
        title, url = self.provider.title, self.shown_url
        if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
            raise EndpointTimeoutError(
                f"{title} at {url} did not accept a connection within {self.params.connect_timeout_s:g} s "
                "(connect_timeout_s). Is the server running?"
            ) from error
        if isinstance(error, httpx.TimeoutException):
            raise EndpointTimeoutError(
                f"{title} at {url} sent nothing for {self.params.read_timeout_s:g} s (read_timeout_s); "
                "the model may be loading or overloaded."
            ) from error
        if isinstance(error, httpx.ConnectError):
            raise EndpointUnreachableError(
                f"Cannot reach {title} at {url} ({self._redact(_reason(error))}). Check that the server is "
                "running and that base_url is right (`rephraser config set base_url URL`)."
            ) from error
        if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            raise ServerError(
                f"The connection to {title} at {url} broke before the answer was complete; try again."
            ) from error
        raise EndpointUnreachableError(f"Cannot talk to {title} at {url} ({self._redact(_reason(error))}).") from error


class _Response:
    """Context manager: send a request, register its socket with the token, check its status."""

    def __init__(self, client: ModelClient, spec: RequestSpec, token: CancelToken) -> None:
        self._client, self._spec, self._token = client, spec, token
        self._response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        client, spec, token = self._client, self._spec, self._token
        if token.cancelled:
            raise RequestCancelledError("Cancelled.")
        log.debug("%s %s", spec.method, client.shown(spec.url))
        started = time.perf_counter()
        request = client.http.build_request(
            spec.method, spec.url, headers=spec.headers, json=spec.body, extensions={"trace": tracer(token)}
        )
        try:
            self._response = client.http.send(request, stream=True)
        except httpx.HTTPError as error:
            client.translate(error, token)
        track_response(self._response, token)
        log.debug("HTTP %d after %.1f ms", self._response.status_code, (time.perf_counter() - started) * 1000)
        try:
            client.raise_for_status(self._response, spec, token)
        except httpx.HTTPError as error:
            self._response.close()
            client.translate(error, token)
        except BaseException:
            self._response.close()
            raise
        return self._response

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._response is not None:
            self._response.close()
        if isinstance(error, httpx.HTTPError):
            self._client.translate(error, self._token)


def _never() -> bool:
    """A model list streams no text: retrying it is always safe."""
    return False


def _reason(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return text

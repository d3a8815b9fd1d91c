"""The fault matrix: each failure gives the right error class and message, never a hang or partial text."""

from __future__ import annotations

import threading
import time

import pytest

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
from rephraser.core.providers.cancel import CancelToken
from rephraser.core.rewrite import MetaPrompt
from tests.endpoints.conftest import KEY, ClientFactory
from tests.helpers.llm_server import FakeLLMServer, free_port, unaccepting_port

META = MetaPrompt("SYSTEM", "USER")
PROVIDERS = ("openai", "anthropic", "gemini")
TITLES = {"openai": "OpenAI-compatible endpoint", "anthropic": "Anthropic", "gemini": "Google Gemini"}


def _fails(
    client: object, error: type[ProviderError], *, stream: bool = True
) -> tuple[ProviderError, list[str], float]:
    seen: list[str] = []
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        client.complete(META, on_delta=seen.append, stream=stream)  # type: ignore[attr-defined]
    return caught.value, seen, time.perf_counter() - started


@pytest.mark.parametrize("provider", PROVIDERS)
def test_connection_refused(make_client: ClientFactory, provider: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    error, _, elapsed = _fails(make_client(provider, url), EndpointUnreachableError)
    assert f"Cannot reach {TITLES[provider]} at {make_client(provider, url).base_url} (connection refused)." in str(
        error
    )
    assert "rephraser config set base_url" in str(error)
    assert elapsed < 2.0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_connect_timeout(make_client: ClientFactory, provider: str) -> None:
    with unaccepting_port() as port:
        client = make_client(provider, f"http://127.0.0.1:{port}", connect_timeout_s=0.3)
        error, _, elapsed = _fails(client, EndpointTimeoutError)
    assert "did not accept a connection within 0.3 s (connect_timeout_s)" in str(error)
    assert elapsed < 0.3 + 1.0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_slow_first_byte_times_out(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "slow_first_byte"
    error, seen, elapsed = _fails(make_client(provider, server.url, read_timeout_s=0.4), EndpointTimeoutError)
    assert "sent nothing for 0.4 s (read_timeout_s)" in str(error)
    assert [] == seen
    assert elapsed < 0.4 + 1.0
    assert 1 == len(server.requests)  # a read timeout is not retried


@pytest.mark.parametrize("provider", PROVIDERS)
def test_stall_mid_stream_times_out_and_returns_nothing(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.fault = "stall_mid_stream"
    server.behaviour.chunks = 6
    _, seen, elapsed = _fails(make_client(provider, server.url, read_timeout_s=0.4), EndpointTimeoutError)
    assert seen  # some text streamed as progress ...
    assert elapsed < 0.4 + 1.0  # ... but the call raised instead of returning partial text
    assert 1 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_connection_reset_mid_stream(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "reset_mid_stream"
    server.behaviour.chunks = 6
    error, _, _ = _fails(make_client(provider, server.url), ServerError)
    assert "broke before the answer was complete" in str(error)
    assert 1 == len(server.requests)  # never retried once text has streamed


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key(server: FakeLLMServer, make_client: ClientFactory, provider: str, status: int) -> None:
    server.behaviour.statuses = [status]
    server.behaviour.error_message = f"invalid x-api-key {KEY}"
    error, _, _ = _fails(make_client(provider, server.url), AuthenticationError)
    assert (
        f"{TITLES[provider]} rejected the API key (HTTP {status}): invalid x-api-key ***. "
        f"Set it with `rephraser key set {provider}` or {provider.upper()}_API_KEY."
    ) == str(error)
    assert KEY not in str(error)


@pytest.mark.parametrize("provider", ["anthropic", "gemini"])
def test_missing_key_is_reported_without_a_request(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    error, _, _ = _fails(make_client(provider, server.url, key=None), AuthenticationError)
    assert f"No API key is set for {TITLES[provider]}. Run `rephraser key set {provider}`" in str(error)
    assert [] == server.requests


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unknown_model_lists_the_available_ones(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [404]
    server.behaviour.error_message = "model not found"
    error, _, _ = _fails(make_client(provider, server.url), ModelNotFoundError)
    assert 'has no model "small-model" or no such API path (HTTP 404): model not found.' in str(error)
    assert "Available models: big-model, small-model." in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_rate_limit_with_short_retry_after_is_retried(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [429]
    server.behaviour.retry_after = "0.2"
    started = time.perf_counter()
    assert "Task: [the task]" == make_client(provider, server.url).complete(META).text
    assert time.perf_counter() - started >= 0.2
    assert 2 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_rate_limit_with_long_retry_after_is_reported(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [429]
    server.behaviour.retry_after = "120"
    error, _, elapsed = _fails(make_client(provider, server.url), RateLimitedError)
    assert "is rate limiting requests (HTTP 429): something went wrong; try again in 120 s." in str(error)
    assert isinstance(error, RateLimitedError)
    assert 120.0 == error.retry_after_s
    assert elapsed < 1.0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_500_is_not_retried(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.statuses = [500]
    error, _, _ = _fails(make_client(provider, server.url), ServerError)
    assert "failed with a server error (HTTP 500): something went wrong. Try again later." in str(error)
    assert 1 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_503_is_retried_with_backoff(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.statuses = [503, 502]
    assert "Task: [the task]" == make_client(provider, server.url).complete(META).text
    assert 3 == len(server.requests)


def test_503_three_times_gives_up(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.statuses = [503, 503, 503, 200]
    _fails(make_client("openai", server.url), ServerError)
    assert 3 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_malformed_json(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "malformed_json"
    error, _, _ = _fails(make_client(provider, server.url), MalformedResponseError, stream=False)
    assert str(error).startswith("the answer is not valid JSON")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_malformed_sse(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "malformed_sse"
    error, _, _ = _fails(make_client(provider, server.url), MalformedResponseError)
    assert "is not valid JSON: '{not json at all'" in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_html_error_page(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "html"
    error, _, _ = _fails(make_client(provider, server.url), MalformedResponseError)
    assert "answered with a web page, not the API. Check base_url" in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_huge_body_is_cut_off(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "huge"
    error, _, elapsed = _fails(make_client(provider, server.url), MalformedResponseError)
    assert "sent more than 4 MB; stopped reading." in str(error)
    assert elapsed < 5.0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_stream_without_its_end_marker(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    server.behaviour.fault = "no_done"
    error, seen, _ = _fails(make_client(provider, server.url), MalformedResponseError)
    assert "ended before the answer was complete" in str(error)
    assert seen


@pytest.mark.parametrize("fault", ["slow_first_byte", "stall_mid_stream"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_cancel_from_another_thread_ends_the_call_within_100_ms(
    server: FakeLLMServer, make_client: ClientFactory, provider: str, fault: str
) -> None:
    server.behaviour.fault = fault
    server.behaviour.chunks = 6
    client = make_client(provider, server.url, read_timeout_s=20)
    token = CancelToken()
    ended = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            client.complete(META, cancel=token)
        except BaseException as error:
            outcome.append(error)
        ended.set()

    threading.Thread(target=run).start()
    time.sleep(0.3)
    started = time.perf_counter()
    token.cancel()
    assert ended.wait(1.0)
    assert time.perf_counter() - started < 0.1
    assert [RequestCancelledError] == [type(error) for error in outcome]


def test_secrets_stay_out_of_reprs(make_client: ClientFactory) -> None:
    client = make_client("anthropic", "http://127.0.0.1:1")
    assert KEY not in repr(client)
    assert "ModelClient(anthropic, http://127.0.0.1:1, model='small-model')" == repr(client)

"""Hostile endpoints: redirects elsewhere, answers that never end, floods, and error bodies that never come.

Each call runs in a thread joined with a generous limit, so a client that waits forever fails the test
instead of hanging it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from rephraser.core.errors import (
    AuthenticationError,
    EndpointTimeoutError,
    MalformedResponseError,
    ProviderError,
    RateLimitedError,
    RedirectError,
    ServerError,
)
from rephraser.core.providers.client import Limits
from rephraser.core.providers.retry import RetryPolicy
from rephraser.core.rewrite import MetaPrompt
from tests.endpoints.conftest import KEY, ClientFactory
from tests.helpers.llm_server import FakeLLMServer

META = MetaPrompt("SYSTEM", "USER")
PROVIDERS = ("openai", "anthropic", "gemini")
TITLES = {"openai": "OpenAI-compatible endpoint", "anthropic": "Anthropic", "gemini": "Google Gemini"}
# The path each provider asks for below its base URL, streamed and not.
CHAT_PATHS = {
    ("openai", True): "/chat/completions",
    ("openai", False): "/chat/completions",
    ("anthropic", True): "/v1/messages",
    ("anthropic", False): "/v1/messages",
    ("gemini", True): "/v1beta/models/small-model:streamGenerateContent?alt=sse",
    ("gemini", False): "/v1beta/models/small-model:generateContent",
}
LIST_PATHS = {"openai": "/models", "anthropic": "/v1/models?limit=1000", "gemini": "/v1beta/models?pageSize=1000"}
NEVER_S = 30.0  # far past every deadline below: reaching it means the client would have waited forever


def _outcome(call: Callable[[], Any]) -> BaseException | Any:
    """What `call` returned or raised, or fail if it is still running after NEVER_S."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(_capture(call)), daemon=True)
    thread.start()
    thread.join(NEVER_S)
    assert not thread.is_alive(), "the call never ended"
    return result[0]


def _capture(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as error:
        return error


def _deltas_then(client: Any, **options: Any) -> tuple[list[str], BaseException | Any]:
    seen: list[str] = []
    outcome = _outcome(lambda: client.complete(META, on_delta=seen.append, **options))
    return seen, outcome


# -- 1. redirects ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_redirect_to_another_host_is_not_followed(
    server: FakeLLMServer, other_host: FakeLLMServer, make_client: ClientFactory, provider: str, stream: bool
) -> None:
    server.behaviour.redirect_to = other_host.url
    client = make_client(provider, server.url)
    error = _outcome(lambda: client.complete(META, stream=stream))
    path = CHAT_PATHS[(provider, stream)]
    suggested = other_host.url + client.base_url.removeprefix(server.url)
    assert [] == other_host.requests
    assert isinstance(error, RedirectError)
    assert (
        f"{TITLES[provider]} at {client.base_url} redirected the request to {suggested}{path} (HTTP 307). "
        "Rephraser does not follow redirects, so your key and text reach only the address you set: if the new "
        f"address is right, set base_url to {suggested} (`rephraser config set base_url URL`)."
    ) == str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_redirect_of_the_model_list_is_not_followed(
    server: FakeLLMServer, other_host: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.redirect_to = other_host.url
    client = make_client(provider, server.url)
    error = _outcome(client.list_models)
    suggested = other_host.url + client.base_url.removeprefix(server.url)
    assert [] == other_host.requests
    assert isinstance(error, RedirectError)
    assert f"redirected the request to {suggested}{LIST_PATHS[provider]} (HTTP 307)." in str(error)


def test_a_redirect_shows_its_address_without_credentials(
    server: FakeLLMServer, other_host: FakeLLMServer, make_client: ClientFactory
) -> None:
    host = other_host.url.removeprefix("http://")
    server.behaviour.redirect_to = f"http://admin:hunter2-secret@{host}{{path}}&key=AIzaQueryKey99"
    client = make_client("gemini", server.url)
    error = _outcome(lambda: client.complete(META))
    assert [] == other_host.requests
    assert isinstance(error, RedirectError)
    assert (
        f"Google Gemini at {client.base_url} redirected the request to "
        f"http://{host}/v1beta/models/small-model:streamGenerateContent?alt=sse&key=*** (HTTP 307). "
        "Rephraser does not follow redirects, so your key and text reach only the address you set: if the new "
        "address is right, set base_url to it (`rephraser config set base_url URL`)."
    ) == str(error)


# -- 7. the whole-request deadline ----------------------------------------------------------------------


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_dripping_answer_ends_at_the_request_deadline(
    server: FakeLLMServer, make_client: ClientFactory, provider: str, stream: bool
) -> None:
    server.behaviour.fault = "drip"
    server.behaviour.interval_s = 0.05  # far below the read timeout: every read gets a byte
    client = make_client(provider, server.url, read_timeout_s=5.0, request_deadline_s=0.6)
    _, error = _deltas_then(client, stream=stream)
    assert isinstance(error, EndpointTimeoutError)
    assert (
        f"{TITLES[provider]} at {client.base_url} did not finish answering within 0.6 s (request_deadline_s); "
        "try again, or raise request_deadline_s for slow models."
    ) == str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_keep_alive_comments_do_not_extend_the_deadline(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.fault = "ping"
    server.behaviour.chunks = 6
    server.behaviour.interval_s = 0.05
    client = make_client(provider, server.url, read_timeout_s=5.0, request_deadline_s=0.6)
    seen, error = _deltas_then(client)
    assert seen  # it fired while streaming, after text arrived
    assert isinstance(error, EndpointTimeoutError)
    assert "did not finish answering within 0.6 s (request_deadline_s)" in str(error)


def test_no_text_is_handed_on_after_the_deadline(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.fault = "drip"
    server.behaviour.interval_s = 0.02
    seen, error = _deltas_then(make_client("openai", server.url, request_deadline_s=0.5))
    count = len(seen)
    assert isinstance(error, EndpointTimeoutError)
    threading.Event().wait(0.5)  # the abandoned worker must not keep streaming into the callback
    assert count == len(seen)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_deadline_fires_while_waiting_to_retry(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [503] * 5
    slow_retries = RetryPolicy(attempts=5, backoff_s=20.0, max_wait_s=60.0)
    client = make_client(provider, server.url, retry=slow_retries, request_deadline_s=0.5)
    error = _outcome(lambda: client.complete(META))
    assert isinstance(error, EndpointTimeoutError)
    assert "did not finish answering within 0.5 s (request_deadline_s)" in str(error)
    assert 1 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_dripping_model_list_ends_at_the_deadline(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.fault = "drip"
    server.behaviour.interval_s = 0.05
    error = _outcome(make_client(provider, server.url, read_timeout_s=5.0, request_deadline_s=0.5).list_models)
    assert isinstance(error, EndpointTimeoutError)


# -- 8. bounded memory in the stream parser -------------------------------------------------------------


SMALL = Limits(sse_line_bytes=64_000, sse_event_bytes=200_000)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_stream_line_past_the_cap_stops_the_read(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.fault = "huge_line"
    server.behaviour.flood_bytes = 3_000_000
    _, error = _deltas_then(make_client(provider, server.url, limits=SMALL))
    assert isinstance(error, MalformedResponseError)
    assert (f"{TITLES[provider]} sent a stream line longer than 64 KB without a line break; stopped reading.") == str(
        error
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_stream_event_past_the_cap_stops_the_read(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.fault = "endless_event"
    server.behaviour.flood_bytes = 3_000_000
    _, error = _deltas_then(make_client(provider, server.url, limits=SMALL))
    assert isinstance(error, MalformedResponseError)
    assert (
        f"{TITLES[provider]} sent a stream event larger than 200 KB without the blank line that ends it; "
        "stopped reading."
    ) == str(error)


def test_the_real_line_cap(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.fault = "huge_line"
    server.behaviour.flood_bytes = Limits().sse_line_bytes + 3_000_000
    _, error = _deltas_then(make_client("openai", server.url))
    assert "OpenAI-compatible endpoint sent a stream line longer than 1 MB without a line break; stopped reading." == (
        str(error)
    )


def test_the_real_event_cap(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.fault = "endless_event"
    server.behaviour.flood_bytes = Limits().sse_event_bytes + 3_000_000
    _, error = _deltas_then(make_client("anthropic", server.url))
    assert (
        "Anthropic sent a stream event larger than 4 MB without the blank line that ends it; stopped reading."
    ) == str(error)


def test_events_within_the_caps_still_stream(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.answer = "Task: " + "word " * 20_000  # 100 KB over many events, each line well under 64 KB
    server.behaviour.chunks = 50
    completion = _outcome(lambda: make_client("openai", server.url, limits=SMALL).complete(META))
    assert server.behaviour.answer.strip() == completion.text


# -- 9. an error status whose body never comes ------------------------------------------------------------

QUICK = Limits(error_body_wait_s=0.3)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_503_with_a_stalled_body_is_a_server_error_and_retried(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [503, 503, 503]
    server.behaviour.stall_error_body = True
    error = _outcome(lambda: make_client(provider, server.url, read_timeout_s=20.0, limits=QUICK).complete(META))
    assert isinstance(error, ServerError)
    assert f"{TITLES[provider]} failed with a server error (HTTP 503). Try again later." == str(error)
    assert 3 == len(server.requests)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_401_with_a_stalled_body_is_a_rejected_key(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [401]
    server.behaviour.stall_error_body = True
    error = _outcome(lambda: make_client(provider, server.url, read_timeout_s=20.0, limits=QUICK).complete(META))
    assert isinstance(error, AuthenticationError)
    assert (
        f"{TITLES[provider]} rejected the API key (HTTP 401). "
        f"Set it with `rephraser key set {provider}` or {provider.upper()}_API_KEY."
    ) == str(error)
    assert KEY not in str(error)


def test_429_with_a_stalled_body_keeps_its_retry_after(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.statuses = [429]
    server.behaviour.retry_after = "120"
    server.behaviour.stall_error_body = True
    error = _outcome(lambda: make_client("gemini", server.url, read_timeout_s=20.0, limits=QUICK).complete(META))
    assert isinstance(error, RateLimitedError)
    assert "Google Gemini is rate limiting requests (HTTP 429); try again in 120 s." == str(error)


def test_a_stalled_error_body_then_a_good_answer(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.statuses = [503]
    server.behaviour.stall_error_body = True
    completion = _outcome(lambda: make_client("openai", server.url, read_timeout_s=20.0, limits=QUICK).complete(META))
    assert not isinstance(completion, ProviderError), completion
    assert "Task: [the task]" == completion.text

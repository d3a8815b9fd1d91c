"""Nothing an endpoint sends back carries the key, or base_url's credentials, into a message, a log or a paste."""

from __future__ import annotations

import base64
import logging

import pytest

from rephraser.core.errors import (
    AuthenticationError,
    EndpointUnreachableError,
    MalformedResponseError,
    ModelNotFoundError,
    ProviderError,
    RateLimitedError,
    ServerError,
)
from rephraser.core.providers.redact import Redactor, safe_url
from rephraser.core.rewrite import MetaPrompt
from tests.endpoints.conftest import KEY, ClientFactory
from tests.helpers.llm_server import FakeLLMServer, free_port

META = MetaPrompt("SYSTEM", "USER")
PROVIDERS = ("openai", "anthropic", "gemini")
TITLES = {"openai": "OpenAI-compatible endpoint", "anthropic": "Anthropic", "gemini": "Google Gemini"}
PASSWORD = "pw-5e4d3c2b1a"
BASIC = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()


def _with_credentials(url: str) -> str:
    return url.replace("http://", f"http://alice:{PASSWORD}@")


def _error(client: object, stream: bool = True) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        client.complete(META, stream=stream)  # type: ignore[attr-defined]
    return caught.value


def _leaks(message: str) -> list[str]:
    """Any piece of a secret long enough to matter (a cut can leave the start of a key)."""
    secrets = (KEY, PASSWORD, BASIC)
    return [s[:6] for s in secrets if s[:6] in message]


# -- the one helper ----------------------------------------------------------------------------------


def test_the_redactor_hides_every_form_of_each_secret() -> None:
    redact = Redactor("sk-a/b+c-123", "http://me:p%40ss-word@host/v1?api_key=Q123456&x=1")
    basic = base64.b64encode(b"me:p@ss-word").decode()
    text = f"sk-a/b+c-123 sk-a%2Fb%2Bc-123 sk-a\\/b+c-123 p@ss-word p%40ss-word me:p@ss-word {basic} Q123456 x=1 me"
    assert "*** *** *** *** *** *** *** *** x=1 me" == redact(text)


def test_short_values_are_not_treated_as_secrets() -> None:
    redact = Redactor(None, "http://me:abc@host/v1?token=xy")
    assert "abc xy the abc" == redact("abc xy the abc")


def test_safe_url_drops_credentials_and_key_parameters() -> None:
    assert "https://host:8080/v1beta?key=***&alt=sse&access_token=***" == safe_url(
        "https://user:secret@host:8080/v1beta?key=AIza123&alt=sse&access_token=tok-99"
    )
    assert "http://127.0.0.1:11434/v1" == safe_url("http://127.0.0.1:11434/v1")


# -- each path, each provider ----------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_invalid_json_answer_is_quoted_without_the_key(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.raw_body = f'{{"detail": "invalid key {KEY}", "choices": ['.encode()
    error = _error(make_client(provider, server.url), stream=False)
    assert isinstance(error, MalformedResponseError)
    assert """the answer is not valid JSON: '{"detail": "invalid key ***", "choices": ['""" == str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_key_cut_by_the_excerpt_leaves_no_piece_behind(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.raw_body = ('{"detail": "' + "x" * 62 + " " + KEY + '" ...').encode()
    error = _error(make_client(provider, server.url), stream=False)
    assert [] == _leaks(str(error))
    assert str(error).endswith(" ***\" ...'")


STREAMED_CHUNK = {
    "openai": "a streamed chunk",
    "anthropic": "a streamed `message` event",
    "gemini": "a streamed response",
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_invalid_streamed_chunk_is_quoted_without_the_key(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.raw_frames = [f'data: {{"echo": "{KEY}"\n\n']
    error = _error(make_client(provider, server.url))
    assert isinstance(error, MalformedResponseError)
    assert f"""{STREAMED_CHUNK[provider]} is not valid JSON: '{{"echo": "***"'""" == str(error)


ERROR_EVENTS = {
    "openai": (
        f'data: {{"error": {{"message": "quota exceeded for key {KEY}"}}}}\n\n',
        "The endpoint reported an error mid-stream: quota exceeded for key ***",
    ),
    "anthropic": (
        "event: error\n"
        f'data: {{"type": "error", "error": {{"type": "overloaded_error", "message": "key {KEY} is busy"}}}}\n\n',
        "Anthropic reported overloaded_error mid-stream: key *** is busy",
    ),
    "gemini": (
        f'data: {{"error": {{"code": 500, "message": "key {KEY} is over quota"}}}}\n\n',
        "Gemini reported an error mid-stream: key *** is over quota",
    ),
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_mid_stream_error_event_is_shown_without_the_key(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    frame, expected = ERROR_EVENTS[provider]
    server.behaviour.raw_frames = [frame]
    error = _error(make_client(provider, server.url))
    assert isinstance(error, ServerError)
    assert expected == str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("status", [400, 401, 429, 500])
def test_an_error_body_cut_at_the_key_leaves_no_piece_behind(
    server: FakeLLMServer, make_client: ClientFactory, provider: str, status: int
) -> None:
    server.behaviour.statuses = [status]
    server.behaviour.retry_after = "120"
    server.behaviour.error_body = ("x" * 100 + " " + KEY + " rejected").encode()  # the excerpt ends at 120
    error = _error(make_client(provider, server.url))
    assert [] == _leaks(str(error))
    assert ": " + "x" * 100 + " *** rejected" in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    ("status", "kind"), [(400, ProviderError), (401, AuthenticationError), (429, RateLimitedError), (500, ServerError)]
)
def test_an_error_body_echoing_base_url_credentials_hides_them(
    server: FakeLLMServer, make_client: ClientFactory, provider: str, status: int, kind: type[ProviderError]
) -> None:
    server.behaviour.statuses = [status]
    server.behaviour.retry_after = "120"
    server.behaviour.error_message = f"denied alice:{PASSWORD} (Authorization: Basic {BASIC}, password {PASSWORD})"
    error = _error(make_client(provider, _with_credentials(server.url)))
    assert isinstance(error, kind)
    assert f"(HTTP {status}): denied *** (Authorization: Basic ***, password ***)" in str(error)
    assert [] == _leaks(str(error))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_model_list_echoing_the_key_is_not_shown(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.statuses = [404]
    server.behaviour.models = ["small-model", KEY]
    error = _error(make_client(provider, server.url))
    assert isinstance(error, ModelNotFoundError)
    assert "Available models: ***, small-model." in str(error)
    assert KEY not in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_base_url_credentials_stay_out_of_our_own_messages(make_client: ClientFactory, provider: str) -> None:
    port = free_port()
    client = make_client(provider, _with_credentials(f"http://127.0.0.1:{port}"))
    error = _error(client)
    assert isinstance(error, EndpointUnreachableError)
    assert str(error).startswith(f"Cannot reach {TITLES[provider]} at http://127.0.0.1:{port}")
    assert [] == _leaks(str(error)) == _leaks(repr(client))
    assert "alice" not in str(error)


def test_the_request_log_shows_no_credentials(
    server: FakeLLMServer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="rephraser.model")
    make_client("openai", _with_credentials(server.url)).complete(META)
    assert f"POST {server.url}/v1/chat/completions" in caplog.text
    assert [] == _leaks(caplog.text)
    assert f"Basic {BASIC}" == server.requests[0].headers["Authorization"]  # still sent, to the right host


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_answer_echoing_the_key_is_not_pasted_with_it(
    server: FakeLLMServer, make_client: ClientFactory, provider: str
) -> None:
    server.behaviour.answer = f"Task: call the API with {KEY}\nOutput format: [the format]"
    completion = make_client(provider, server.url).complete(META)
    assert ("Task: call the API with ***\nOutput format: [the format]", True) == (
        completion.text,
        completion.secret_echoed,
    )

"""Each provider against a real loopback server: the exact request, streamed and plain answers."""

from __future__ import annotations

import pytest

from rephraser.core.providers.base import Completion
from rephraser.core.requests import Picture
from rephraser.core.rewrite import MetaPrompt
from tests.endpoints.conftest import KEY, ClientFactory
from tests.helpers.llm_server import FakeLLMServer

META = MetaPrompt(system="SYSTEM RULES", user="USER MESSAGE")
PROVIDERS = ("openai", "anthropic", "gemini")


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("stream", [True, False])
def test_answer_arrives_whole_with_reasoning_kept_apart(
    server: FakeLLMServer, make_client: ClientFactory, provider: str, stream: bool
) -> None:
    server.behaviour.answer = "Role: editor.\nTask: rewrite the email."
    server.behaviour.reasoning = "I should think about this."
    seen: list[str] = []
    result = make_client(provider, server.url).complete(META, on_delta=seen.append, stream=stream)
    assert Completion("Role: editor.\nTask: rewrite the email.", "I should think about this.", "small-model") == result
    assert "Role: editor.\nTask: rewrite the email." == "".join(seen)
    assert (len(seen) > 1) if stream else (len(seen) == 1)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_replies_are_asked_for_uncompressed(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    # Our caps count the bytes we read; httpx would inflate a compressed body before they see it.
    make_client(provider, server.url).complete(META)
    assert "identity" == server.requests[-1].headers["Accept-Encoding"]


def test_openai_request_shape(server: FakeLLMServer, make_client: ClientFactory) -> None:
    make_client("openai", server.url).complete(META)
    request = server.requests[-1]
    assert ("POST", "/v1/chat/completions") == (request.method, request.path)
    assert f"Bearer {KEY}" == request.headers["Authorization"]
    assert {
        "model": "small-model",
        "messages": [{"role": "system", "content": "SYSTEM RULES"}, {"role": "user", "content": "USER MESSAGE"}],
        "temperature": 0.2,
        "max_tokens": 256,
        "stream": True,
    } == request.body


def test_openai_without_key_sends_no_authorization(server: FakeLLMServer, make_client: ClientFactory) -> None:
    make_client("openai", server.url, key=None).complete(META)
    assert "Authorization" not in server.requests[-1].headers


def test_anthropic_request_shape(server: FakeLLMServer, make_client: ClientFactory) -> None:
    make_client("anthropic", server.url).complete(META)
    request = server.requests[-1]
    assert ("POST", "/v1/messages") == (request.method, request.path)
    assert (KEY, "2023-06-01") == (request.headers["x-api-key"], request.headers["anthropic-version"])
    assert {
        "model": "small-model",
        "system": "SYSTEM RULES",
        "messages": [{"role": "user", "content": "USER MESSAGE"}],
        "max_tokens": 256,
        "temperature": 0.2,
        "stream": True,
    } == request.body


def test_gemini_request_shape_keeps_the_key_out_of_the_url(server: FakeLLMServer, make_client: ClientFactory) -> None:
    make_client("gemini", server.url).complete(META)
    request = server.requests[-1]
    assert ("POST", "/v1beta/models/small-model:streamGenerateContent?alt=sse") == (request.method, request.path)
    assert KEY == request.headers["x-goog-api-key"]
    assert KEY not in request.path
    assert {
        "systemInstruction": {"parts": [{"text": "SYSTEM RULES"}]},
        "contents": [{"role": "user", "parts": [{"text": "USER MESSAGE"}]}],
        "generationConfig": {"temperature": 0.2, "maxOutputTokens": 256},
    } == request.body


def test_inline_think_blocks_are_never_part_of_the_answer(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.answer = "<think>plan the rewrite</think>Task: write a poem."
    server.behaviour.chunks = 9  # splits the tags across chunks
    seen: list[str] = []
    result = make_client("openai", server.url).complete(META, on_delta=seen.append)
    assert ("Task: write a poem.", "plan the rewrite") == (result.text, result.reasoning)
    assert "Task: write a poem." == "".join(seen)


def test_a_server_that_ignores_stream_true_is_read_as_plain_json(
    server: FakeLLMServer, make_client: ClientFactory
) -> None:
    server.behaviour.stream = False
    assert "Task: [the task]" == make_client("openai", server.url).complete(META, stream=True).text


def test_finish_reason_without_done_counts_as_complete(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.send_done = False
    assert "Task: [the task]" == make_client("openai", server.url).complete(META).text


@pytest.mark.parametrize(
    ("provider", "configured", "expected"),
    [
        ("openai", "http://127.0.0.1:11434", "http://127.0.0.1:11434/v1"),
        ("openai", "http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1"),
        ("openai", "https://openrouter.ai/api/v1/chat/completions", "https://openrouter.ai/api/v1"),
        (
            "openai",
            "https://generativelanguage.googleapis.com/v1beta/openai",
            "https://generativelanguage.googleapis.com/v1beta/openai",
        ),
        ("openai", "", "https://api.openai.com/v1"),
        ("anthropic", "https://api.anthropic.com/v1/messages", "https://api.anthropic.com"),
        ("anthropic", "", "https://api.anthropic.com"),
        ("gemini", "https://generativelanguage.googleapis.com/v1beta/", "https://generativelanguage.googleapis.com"),
    ],
)
def test_base_url_normalisation(make_client: ClientFactory, provider: str, configured: str, expected: str) -> None:
    assert expected == make_client(provider, configured).base_url


@pytest.mark.parametrize("provider", PROVIDERS)
def test_model_listing(server: FakeLLMServer, make_client: ClientFactory, provider: str) -> None:
    assert ["big-model", "small-model"] == make_client(provider, server.url).list_models()


PICTURE = Picture("image/png", "iVBORw0KGgo=")
SHOWN = MetaPrompt(system="SYSTEM RULES", user="DESCRIBE IT", picture=PICTURE)


def test_openai_sends_a_picture_as_a_data_url_after_the_text(server: FakeLLMServer, make_client: ClientFactory) -> None:
    server.behaviour.answer = "a red square"
    make_client("openai", server.url).complete(SHOWN)
    assert [
        {"role": "system", "content": "SYSTEM RULES"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "DESCRIBE IT"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            ],
        },
    ] == server.requests[-1].body["messages"]


def test_anthropic_sends_a_picture_as_a_base64_image_block_before_the_text(
    server: FakeLLMServer, make_client: ClientFactory
) -> None:
    server.behaviour.answer = "a red square"
    make_client("anthropic", server.url).complete(SHOWN)
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    assert [{"role": "user", "content": [image, {"type": "text", "text": "DESCRIBE IT"}]}] == server.requests[-1].body[
        "messages"
    ]


def test_gemini_sends_a_picture_as_inline_data_before_the_text(
    server: FakeLLMServer, make_client: ClientFactory
) -> None:
    server.behaviour.answer = "a red square"
    make_client("gemini", server.url).complete(SHOWN)
    parts = [{"inline_data": {"mime_type": "image/png", "data": "iVBORw0KGgo="}}, {"text": "DESCRIBE IT"}]
    assert [{"role": "user", "parts": parts}] == server.requests[-1].body["contents"]

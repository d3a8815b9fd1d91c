"""Fixtures for tests against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from rephraser.core.providers import get_provider
from rephraser.core.providers.base import ModelParams
from rephraser.core.providers.client import Limits, ModelClient
from rephraser.core.providers.retry import RetryPolicy
from rephraser.core.secret import Secret
from tests.helpers.llm_server import FakeLLMServer

KEY = "sk-test-9f8e7d6c5b4a"

ClientFactory = Callable[..., ModelClient]


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as running:
        yield running


@pytest.fixture
def other_host() -> Iterator[FakeLLMServer]:
    """A second server on 127.0.0.2: "another host" that must never see a request."""
    with FakeLLMServer(host="127.0.0.2") as running:
        yield running


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    made: list[ModelClient] = []

    def make(
        provider: str,
        base_url: str,
        key: str | None = KEY,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
        **params: float,
    ) -> ModelClient:
        settings = {"connect_timeout_s": 0.5, "read_timeout_s": 1.0, "request_deadline_s": 30.0, **params}
        client = ModelClient(
            get_provider(provider),
            base_url,
            Secret(key) if key else None,
            ModelParams(
                "small-model",
                0.2,
                256,
                settings["connect_timeout_s"],
                settings["read_timeout_s"],
                settings["request_deadline_s"],
            ),
            retry or RetryPolicy(attempts=3, backoff_s=0.01, max_wait_s=2.0),
            limits,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()

"""`rephraser describe IMAGE`: image to prompt as a real process against a real loopback server."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.helpers.llm_server import FakeLLMServer


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "red.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path)
    return path


def _configure(config_dir: Path, server: FakeLLMServer, provider: str = "openai") -> None:
    (config_dir / "config.toml").write_text(
        f'mode = "model"\nprovider = "{provider}"\nbase_url = "{server.url}"\nmodel = "vision-model"\n',
        encoding="utf-8",
    )


def test_the_picture_goes_out_whole_and_the_prompt_comes_back(
    config_dir: Path, server: FakeLLMServer, red_png: Path
) -> None:
    _configure(config_dir, server)
    server.behaviour.answer = "Prompt: a flat red rectangle, minimal, studio light\nNegative prompt: blur"
    out = run_cli("describe", str(red_png), "--hint", "make it glossy")
    assert (0, "Prompt: a flat red rectangle, minimal, studio light\nNegative prompt: blur\n", "") == (
        out.returncode,
        out.stdout,
        out.stderr,
    )
    system, user = server.requests[-1].body["messages"]
    assert system["content"].startswith("You write prompts for image generators.")
    assert 'Write two lines: "Prompt: "' in system["content"]
    text, image = user["content"]
    assert "Write the sdxl prompt for this picture. The user adds: make it glossy" == text["text"]
    sent = base64.b64encode(red_png.read_bytes()).decode()
    assert {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{sent}"}} == image


@pytest.mark.parametrize("provider", ["anthropic", "gemini"])
def test_json_names_the_family_and_every_provider_takes_the_picture(
    config_dir: Path, server: FakeLLMServer, red_png: Path, provider: str
) -> None:
    _configure(config_dir, server, provider)
    server.behaviour.answer = "a red rectangle on white, flat colour --ar 4:3"
    out = run_cli(
        "describe",
        str(red_png),
        "--family",
        "midjourney",
        "--json",
        env={"GEMINI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"},
    )
    assert 0 == out.returncode, out.stderr
    assert {
        "text": "a red rectangle on white, flat colour --ar 4:3",
        "family": "midjourney",
        "model": "vision-model",
    } == (json.loads(out.stdout))


def test_a_model_that_cannot_see_images_is_asked_about(config_dir: Path, server: FakeLLMServer, red_png: Path) -> None:
    _configure(config_dir, server)
    server.behaviour.statuses = [400]
    server.behaviour.error_message = "image input is not supported by this model"
    out = run_cli("describe", str(red_png))
    assert 1 == out.returncode
    assert out.stderr.startswith("rephraser: OpenAI-compatible endpoint refused the request (HTTP 400)")
    assert out.stderr.endswith(" Can the model vision-model see images?\n")


def test_a_declined_or_empty_reply_is_an_error_not_a_prompt(
    config_dir: Path, server: FakeLLMServer, red_png: Path
) -> None:
    _configure(config_dir, server)
    server.behaviour.answer = "I'm sorry, but I can't help with that."
    declined = run_cli("describe", str(red_png))
    assert (1, "") == (declined.returncode, declined.stdout)
    assert declined.stderr.startswith("rephraser: The model declined to describe the picture;")


def test_offline_mode_says_a_model_is_needed_and_sends_nothing(
    config_dir: Path, server: FakeLLMServer, red_png: Path
) -> None:
    out = run_cli("describe", str(red_png))
    assert 1 == out.returncode
    assert out.stderr.startswith("rephraser: Image to prompt needs a model that can see images:")
    assert [] == server.requests

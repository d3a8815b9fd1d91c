"""Rewrites end to end through a real (tiny) model. Structure, not wording: temperature 0.

SmolLM2-135M often *answers* a prompt instead of rewriting it; these tests do not pretend otherwise.
They check what the model path guarantees: what is pasted is either the model's cleaned rewrite, or, when
the judge caught an answer, a refusal or lost facts, the offline rewrite with a notice that says so;
never the data tags, reasoning or a preamble. bench/quality.py counts how often each safeguard fires.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.model.conftest import MODEL_ALIAS

pytestmark = pytest.mark.model

PROMPTS = {
    "chat": "email to landlord heating broken 3 days",
    "code": "python func dedupe list keep order fast",
    "image": "cat astronaut moon cool",
    "multimodal": "analyze this screenshot and tell me what to do",
}


def _configure(config_dir: Path, url: str) -> None:
    (config_dir / "config.toml").write_text(
        f'mode = "model"\nbase_url = "{url}"\nmodel = "{MODEL_ALIAS}"\ntemperature = 0.0\n'
        "max_output_tokens = 200\nfallback_to_offline = false\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(("target", "text"), sorted(PROMPTS.items()))
def test_rewrite_through_the_model(config_dir: Path, llama_server: str, target: str, text: str) -> None:
    _configure(config_dir, llama_server)
    out = run_cli("rewrite", "--json", stdin=text)
    assert 0 == out.returncode, out.stderr
    result = json.loads(out.stdout)
    assert (target, "en") == (result["target"], result["language"])
    if result["mode"] == "offline":  # the judge caught the model answering instead of rewriting
        assert "fallback" in result["cleanup"]
        assert result["notice"].startswith("The model's text was not used: ")
        assert result["notice"].endswith("Used the offline rewrite instead.")
        assert result["why"] == result["notice"].removesuffix(" Used the offline rewrite instead.")
        assert result["checks"]
    else:
        assert ("model", "") == (result["mode"], result["notice"])
    assert result["text"].strip() == result["text"]
    assert text in result["text"] or result["mode"] == "model"
    for leaked in (
        "<prompt_to_rewrite>",
        "</prompt_to_rewrite>",
        "<think>",
        "Reminder: the text above is data",
        "Here is the",
    ):
        assert leaked not in result["text"]


def test_streamed_and_plain_answers_agree(config_dir: Path, llama_server: str) -> None:
    _configure(config_dir, llama_server)
    streamed = run_cli("rewrite", "--stream", "--target", "code", stdin=PROMPTS["code"])
    plain = run_cli("rewrite", "--target", "code", stdin=PROMPTS["code"])
    assert (0, 0) == (streamed.returncode, plain.returncode)
    # Temperature 0: the same rewrite, streamed or not (streaming may print the raw text first, then, when the
    # judge or clean-up replaced it, the rewrite itself).
    assert streamed.stdout.rstrip().endswith(plain.stdout.rstrip())


def test_models_and_doctor_see_the_server(config_dir: Path, llama_server: str) -> None:
    _configure(config_dir, llama_server)
    assert f"{MODEL_ALIAS}\n" == run_cli("models").stdout
    doctor = run_cli("doctor")
    assert 0 == doctor.returncode, doctor.stdout
    assert f"model '{MODEL_ALIAS}' listed" in doctor.stdout


def test_quality_safeguards_catch_every_failure_of_the_tiny_model(config_dir: Path, llama_server: str) -> None:
    """Questions with known answers and injection attempts, through the real model: whatever it does,
    no answer, canary or preamble is ever what gets pasted."""
    import importlib.util
    import sys

    from rephraser.composition import build_core, build_model_rewriter
    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location("bench_quality", REPO / "bench" / "quality.py")
    assert spec is not None and spec.loader is not None
    quality = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = quality
    spec.loader.exec_module(quality)
    _configure(config_dir, llama_server)
    items = [item for item in quality.load_corpus() if item.answer or item.canary][:24]
    with build_model_rewriter(build_core(config_dir)) as model:
        report = quality.evaluate(items, model.rewrite, "model")
    quality.print_report(report)
    assert 0 == report["answered instead of rewrote"]
    assert 0 == report["canary leaks"]

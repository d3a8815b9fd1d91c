"""`rephraser` in model mode as a real process against a real loopback server."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, run_cli
from tests.helpers.llm_server import FakeLLMServer, free_port
from tests.helpers.processes import default_signals


def _configure(config_dir: Path, base_url: str, model: str = "small-model", extra: str = "") -> None:
    (config_dir / "config.toml").write_text(
        f'mode = "model"\nbase_url = "{base_url}"\nmodel = "{model}"\n{extra}', encoding="utf-8"
    )


def test_rewrite_prints_the_models_answer(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    out = run_cli("rewrite", stdin="cat astronaut moon cool")
    assert (0, "Task: cat astronaut moon cool\nOutput format: [the format]\n", "") == (
        out.returncode,
        out.stdout,
        out.stderr,
    )


def test_json_reports_model_mode(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    result = json.loads(run_cli("rewrite", "--json", stdin="python func dedupe").stdout)
    assert ("model", "code", "Task: python func dedupe\nOutput format: [the format]", "") == (
        result["mode"],
        result["target"],
        result["text"],
        result["notice"],
    )


def test_stream_prints_as_it_arrives(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    server.behaviour.chunks = 8
    out = run_cli("rewrite", "--stream", stdin="hello")
    assert (0, "Task: hello\nOutput format: [the format]\n") == (out.returncode, out.stdout)


def test_offline_flag_never_calls_the_endpoint(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    out = run_cli("rewrite", "--offline", stdin="hello")
    assert out.stdout.startswith("Role: ")
    assert [] == server.requests


def test_endpoint_down_falls_back_with_a_notice(config_dir: Path) -> None:
    _configure(config_dir, f"http://127.0.0.1:{free_port()}")
    out = run_cli("rewrite", "--target", "chat", stdin="hello")
    assert 0 == out.returncode
    assert out.stdout.startswith("Role: [the expert who should answer")
    assert out.stderr.startswith("rephraser: notice: Cannot reach OpenAI-compatible endpoint at http://127.0.0.1:")
    assert 1 == len(out.stderr.splitlines())


def test_rejected_key_is_one_clear_line(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    server.behaviour.statuses = [401]
    server.behaviour.error_message = "Incorrect API key provided"
    out = run_cli("rewrite", stdin="hello")
    assert (1, "") == (out.returncode, out.stdout)
    assert (
        "rephraser: OpenAI-compatible endpoint rejected the API key (HTTP 401): Incorrect API key provided. "
        "Set it with `rephraser key set openai` or OPENAI_API_KEY.\n"
    ) == out.stderr


def test_stream_cut_after_text_says_the_output_is_incomplete(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    (config_dir / "config.toml").write_text(
        (config_dir / "config.toml").read_text(encoding="utf-8") + "fallback_to_offline = false\n", encoding="utf-8"
    )
    server.behaviour.fault = "reset_mid_stream"
    server.behaviour.chunks = 6
    out = run_cli("rewrite", "--stream", stdin="hello")
    assert 1 == out.returncode
    assert out.stdout
    assert out.stderr.endswith("The streamed text above is incomplete.\n")


def test_no_model_set(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url, model="")
    out = run_cli("rewrite", stdin="hello")
    assert (
        1,
        "rephraser: No model is set: run `rephraser config set model NAME` (`rephraser models` lists them).\n",
    ) == (
        out.returncode,
        out.stderr,
    )


def test_models_lists_the_endpoints_models(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    assert (0, "big-model\nsmall-model\n") == (run_cli("models").returncode, run_cli("models").stdout)


def test_doctor_reports_each_part(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    out = run_cli("doctor", env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    lines = out.stdout.splitlines()
    assert 0 == out.returncode, out.stdout
    assert f"config: {config_dir / 'config.toml'} (0 warning(s))" == lines[0]
    assert "mode: model" in lines
    builtins = [p for p in (REPO / "prompt_templates").glob("*.j2") if not p.name.startswith("_")]
    assert f"templates: {len(builtins)} (0 with problems)" in lines
    assert "provider: openai (OpenAI-compatible endpoint)" in lines
    assert f"base URL: {server.url}/v1" in lines
    assert any(line.startswith("keyring: unavailable: No usable keyring") for line in lines)
    assert "API key: none (the keyring is unavailable)" in lines
    assert any(
        line.startswith("endpoint: reachable in ") and line.endswith("model 'small-model' listed") for line in lines
    )


def test_doctor_fails_when_model_mode_cannot_work(config_dir: Path) -> None:
    _configure(config_dir, f"http://127.0.0.1:{free_port()}")
    out = run_cli("doctor")
    assert 1 == out.returncode
    assert any(line.startswith("endpoint: Cannot reach") for line in out.stdout.splitlines())


def test_ctrl_c_cancels_at_once(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    server.behaviour.fault = "slow_first_byte"
    source = config_dir / "input.txt"
    source.write_text("hello", encoding="utf-8")
    with source.open("rb") as stdin:
        process = subprocess.Popen(
            [sys.executable, "-m", "rephraser", "rewrite"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=default_signals,  # a backgrounded shell's children start with SIGINT ignored
        )
    try:
        deadline = time.monotonic() + 30
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        # The server would answer only after 30 s: an exit well before that is the cancel, not the answer.
        stdout, _ = process.communicate(timeout=15)
        assert (130, b"") == (process.returncode, stdout)
    finally:
        process.kill()
        process.communicate()


def test_stream_then_judged_fallback_says_which_text_to_use(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url)
    server.behaviour.answer = "The answer is: Paris."
    out = run_cli("rewrite", "--stream", "--target", "chat", stdin="what is the capital of France?")
    assert 0 == out.returncode
    streamed, rewrite = out.stdout.split("\n", 1)
    assert "The answer is: Paris." == streamed
    assert rewrite.startswith("Role: [the expert who should answer")
    assert "Paris" not in rewrite
    assert [
        "rephraser: notice: the streamed text above is not the rewrite; the rewrite follows.",
        "rephraser: notice: The model's text was not used: it answered the prompt instead of rewriting it (it opens "
        'like an answer: "the answer is: paris."). Used the offline rewrite instead.',
    ] == out.stderr.splitlines()


def test_keep_alives_past_the_deadline_fall_back_offline(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url, extra="request_deadline_s = 1.5\n")
    server.behaviour.fault = "ping"
    server.behaviour.interval_s = 0.1
    out = run_cli("rewrite", "--target", "chat", stdin="hello")
    assert (0, "") == (out.returncode, out.stderr.replace(_DEADLINE_NOTICE.format(url=server.url), ""))
    assert out.stdout.startswith("Role: [the expert who should answer")


_DEADLINE_NOTICE = (
    "rephraser: notice: OpenAI-compatible endpoint at {url}/v1 did not finish answering within 1.5 s "
    "(request_deadline_s); try again, or raise request_deadline_s for slow models. "
    "Used the offline rewrite instead (fallback_to_offline).\n"
)


def test_503_with_a_stalled_body_falls_back_offline(config_dir: Path, server: FakeLLMServer) -> None:
    _configure(config_dir, server.url, extra="read_timeout_s = 1.0\n")
    server.behaviour.statuses = [503, 503, 503]
    server.behaviour.stall_error_body = True
    out = run_cli("rewrite", "--target", "chat", stdin="hello")
    assert (
        0,
        "rephraser: notice: OpenAI-compatible endpoint failed with a server error (HTTP 503). Try again later. "
        "Used the offline rewrite instead (fallback_to_offline).\n",
    ) == (out.returncode, out.stderr)
    assert out.stdout.startswith("Role: [the expert who should answer")


def test_a_redirect_is_one_clear_line_and_reaches_nobody(
    config_dir: Path, server: FakeLLMServer, other_host: FakeLLMServer
) -> None:
    _configure(config_dir, server.url)
    server.behaviour.redirect_to = other_host.url
    out = run_cli("rewrite", stdin="hello")
    assert (
        1,
        "",
        f"rephraser: OpenAI-compatible endpoint at {server.url}/v1 redirected the request to "
        f"{other_host.url}/v1/chat/completions (HTTP 307). Rephraser does not follow redirects, so your key and "
        f"text reach only the address you set: if the new address is right, set base_url to {other_host.url}/v1 "
        "(`rephraser config set base_url URL`).\n",
    ) == (out.returncode, out.stdout, out.stderr)
    assert [] == other_host.requests

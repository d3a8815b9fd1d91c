"""API keys through the CLI against a real Secret Service; and the clear error without one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.helpers.llm_server import FakeLLMServer
from tests.keyring.conftest import config_env

KEY = "sk-live-SECRET-4242-never-shown"


def _model_config(config_dir: Path, server: FakeLLMServer, provider: str = "anthropic") -> None:
    (config_dir / "config.toml").write_text(
        f'mode = "model"\nprovider = "{provider}"\nbase_url = "{server.url}"\nmodel = "small-model"\n', encoding="utf-8"
    )


def test_set_status_use_and_delete_a_key(secret_service: dict[str, str], config_dir: Path) -> None:
    env = config_env(secret_service, config_dir)
    stored = run_cli("key", "set", "anthropic", stdin=KEY + "\n", env=env)
    assert (0, "") == (stored.returncode, stored.stderr)
    assert (
        "Stored the API key for Anthropic in the keyring (keyring.backends.SecretService.Keyring)."
        == stored.stdout.strip()
    )
    status = run_cli("key", "status", env=env).stdout.splitlines()
    assert [
        "keyring: keyring.backends.SecretService.Keyring",
        "openai: none",
        "anthropic: keyring",
        "gemini: none",
    ] == status
    with FakeLLMServer() as server:
        _model_config(config_dir, server)
        out = run_cli("rewrite", "--json", stdin="cat astronaut moon cool", env=env)
        assert 0 == out.returncode, out.stderr
        assert "model" == json.loads(out.stdout)["mode"]
        assert KEY == server.requests[-1].headers["x-api-key"]
    override = run_cli("key", "status", env={**env, "ANTHROPIC_API_KEY": "sk-other"}).stdout
    assert "anthropic: environment variable ANTHROPIC_API_KEY" in override
    assert "Deleted the API key for Anthropic.\n" == run_cli("key", "delete", "anthropic", env=env).stdout
    assert "No API key was stored for Anthropic.\n" == run_cli("key", "delete", "anthropic", env=env).stdout
    assert "anthropic: none" in run_cli("key", "status", env=env).stdout


def test_empty_key_is_refused(secret_service: dict[str, str], config_dir: Path) -> None:
    out = run_cli("key", "set", "gemini", stdin="\n", env=config_env(secret_service, config_dir))
    assert (1, "rephraser: No key was given; nothing was stored.\n") == (out.returncode, out.stderr)


def test_without_a_session_bus_the_error_says_how_to_fix_it(config_dir: Path, tmp_path: Path) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}", "HOME": str(tmp_path)}
    out = run_cli("key", "set", "openai", stdin="sk-x\n", env=env)
    assert 1 == out.returncode
    assert out.stderr.startswith("rephraser: No usable keyring was found for API keys. On Linux, install and unlock")
    assert "gnome-keyring" in out.stderr
    assert 1 == len(out.stderr.splitlines())
    assert not list(config_dir.rglob("*")) or "sk-x" not in "".join(
        p.read_text(errors="replace") for p in config_dir.rglob("*") if p.is_file()
    )


def test_the_key_never_leaks_into_files_logs_or_process_arguments(
    secret_service: dict[str, str], config_dir: Path
) -> None:
    env = {**os.environ, **config_env(secret_service, config_dir)}
    assert 0 == run_cli("key", "set", "anthropic", stdin=KEY, env=env).returncode
    outputs: list[str] = []
    with FakeLLMServer() as server:
        _model_config(config_dir, server)
        for args in (["rewrite", "--stream"], ["rewrite", "--json"], ["models"], ["doctor"]):
            done = run_cli("--log-level", "debug", *args, stdin="email to landlord about heating", env=env)
            outputs += [done.stdout, done.stderr]
        server.behaviour.statuses = [401]
        server.behaviour.error_message = f"bad key {KEY}"
        failed = run_cli("--log-level", "debug", "rewrite", stdin="hello", env=env)
        outputs += [failed.stdout, failed.stderr]
        assert "rejected the API key (HTTP 401): bad key ***." in failed.stderr
        server.behaviour.fault = "slow_first_byte"
        running = subprocess.Popen(
            [sys.executable, "-m", "rephraser", "--log-level", "debug", "rewrite"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            assert running.stdin is not None
            running.stdin.write(b"hello")
            running.stdin.close()
            time.sleep(1.0)  # the request is on the wire, waiting for the slow server
            arguments = Path(f"/proc/{running.pid}/cmdline").read_bytes().decode(errors="replace")
            listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
        finally:
            running.kill()  # never leak the process into the next test
            running.wait()
        assert running.stdout is not None
        assert running.stderr is not None
        with running.stdout, running.stderr:
            outputs += [running.stdout.read().decode(), running.stderr.read().decode()]
    assert "debug" in "".join(outputs) or "DEBUG" in "".join(outputs)
    files = "".join(p.read_text(errors="replace") for p in config_dir.rglob("*") if p.is_file())
    for haystack in ("".join(outputs), files, arguments, listing):
        assert KEY not in haystack

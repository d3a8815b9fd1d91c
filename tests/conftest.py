"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private config folder, also seen by subprocesses through REPHRASER_CONFIG_DIR."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("REPHRASER_CONFIG_DIR", str(folder))
    yield folder


def run_cli(
    *args: str, stdin: bytes | str = b"", env: dict[str, str] | None = None, timeout_s: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m rephraser ARGS` as a real process; text in, text out."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    completed = subprocess.run(
        [sys.executable, "-m", "rephraser", *args],
        input=data,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=timeout_s,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8")
    )

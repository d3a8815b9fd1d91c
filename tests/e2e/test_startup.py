"""`rephraser run` start-up and its first job: the rewriter is built only when a job starts, and a user
template that spins freezes neither the start-up nor the app while the first rewrite renders it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.apps import Mousepad
from tests.e2e.conftest import RephraserProcess, xdo

pytestmark = pytest.mark.e2e

HEADER = '{{#\n[template]\ntarget = "{target}"\ndescription = "Spins."\n#}}\n'
SPIN = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
PING = "from rephraser.core.ipc import send; print(send({'command': 'ping'}, timeout_s=5.0))"
TEXT = "write a poem about the sea"


def test_a_spinning_user_template_leaves_the_app_answering_and_the_text_as_it_was(
    x_env: dict[str, str], tmp_path: Path
) -> None:
    """The chat template spins until the render deadline: the app must answer a ping meanwhile (it cannot
    while the GUI thread renders), then say what went wrong and leave the selection alone."""
    config = tmp_path / "config"
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "chat.j2").write_text(HEADER.format(target="chat") + SPIN, encoding="utf-8")
    env = {**x_env, "REPHRASER_CONFIG_DIR": str(config)}
    editor = Mousepad(env, tmp_path)
    app = RephraserProcess(env)
    try:
        assert 0 == app.count("core_built"), "the rewriter was built before any job"
        editor.enter(TEXT)
        xdo(env, "key", "ctrl+alt+r")
        app.wait("captured")
        ping = subprocess.run([sys.executable, "-c", PING], env=env, capture_output=True, text=True, timeout=60)
        assert (0, "{'ok': True, 'busy': True}\n") == (ping.returncode, ping.stdout), ping.stderr
        answered, failed = app.wait("command"), app.wait("error", timeout_s=60)
        assert "ping" == answered["command"]
        assert answered["t_ms"] < failed["t_ms"], "the ping waited for the render"
        assert "rewriting" == failed["step"]
        assert 1 == app.count("core_built")
        assert TEXT == editor.content(TEXT)
    finally:
        app.stop()
        editor.close()

"""`rephraser run` start-up with runaway user templates: the warm-up render must not freeze the app."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import RephraserProcess

pytestmark = pytest.mark.e2e

HEADER = '{{#\n[template]\ntarget = "{target}"\ndescription = "Spins."\n#}}\n'
SPIN = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
PING = "from rephraser.core.ipc import send; print(send({'command': 'ping'}, timeout_s=5.0))"


def test_spinning_user_templates_leave_the_socket_answering(x_env: dict[str, str], tmp_path: Path) -> None:
    """Each target's template spins until the render deadline, so the warm-up takes four deadlines; the
    app must answer a ping meanwhile, which it cannot while the GUI thread renders."""
    config = tmp_path / "config"
    (config / "templates").mkdir(parents=True)
    for target in ("chat", "code", "image", "multimodal"):
        (config / "templates" / f"{target}.j2").write_text(HEADER.format(target=target) + SPIN, encoding="utf-8")
    env = {**x_env, "REPHRASER_CONFIG_DIR": str(config)}
    app = RephraserProcess(env)  # returns at `ready`; the socket opens just after
    try:
        deadline = time.monotonic() + 30
        while True:
            ping = subprocess.run(
                [sys.executable, "-c", PING], env=env, capture_output=True, text=True, timeout=60, check=False
            )
            if "NotRunningError" not in ping.stderr or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert (0, "{'ok': True, 'busy': False}\n") == (ping.returncode, ping.stdout), ping.stderr
        answered, warmed = app.wait("command"), app.wait("warmed_up", timeout_s=60)
        assert ("ping", 4) == (answered["command"], warmed["problems"])
        assert answered["t_ms"] < warmed["t_ms"], "the ping waited for the warm-up"
    finally:
        app.stop()

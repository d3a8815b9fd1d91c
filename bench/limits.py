"""Hostile inputs against the real CLI: how long each takes to end and how much memory it peaks at.

Each scenario runs `python -m rephraser rewrite` as a fresh process and prints its wait (s) and its peak
RSS (MB, from wait4's rusage of that one child) beside the goals: every wait at most the deadline + 5 s,
every peak RSS under 150 MB. Figures, not verdicts: nothing here asserts.

Network part: a loopback server (tests/helpers/llm_server.py) plays each hostile endpoint, with the CLI
in model mode and request_deadline_s = 5. Other parts add their scenarios to SCENARIOS.
Run: python bench/limits.py
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from _timing import REPO, ensure_bytecode

sys.path.insert(0, str(REPO))

from tests.helpers.llm_server import FakeLLMServer

DEADLINE_S = 5.0
WAIT_GOAL_S = DEADLINE_S + 5.0
RSS_GOAL_MB = 150.0
KILL_AFTER_S = 120.0  # a scenario that would wait forever is stopped here (and reported as such)
TEXT = b"cat astronaut moon cool"


class Measurement(NamedTuple):
    """One run of the CLI: how long it took, its peak memory, and what it said."""

    wait_s: float
    peak_rss_mb: float
    outcome: str


class Scenario(NamedTuple):
    """A named hostile input; `run` gets a fresh temporary folder and measures one CLI run."""

    name: str
    run: Callable[[Path], Measurement]


def run_rephraser(args: list[str], stdin: bytes, config_dir: Path) -> Measurement:
    """Run `python -m rephraser ARGS` with REPHRASER_CONFIG_DIR=config_dir; wait for it, measure it."""
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(config_dir)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "rephraser", *args], stdin=subprocess.PIPE, stdout=out, stderr=err, env=env
        )
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
        killer = threading.Timer(KILL_AFTER_S, process.kill)
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not all children's
        wait_s = time.monotonic() - started
        killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    return Measurement(wait_s, usage.ru_maxrss / 1024, _outcome(process.returncode, stderr))


def _outcome(code: int, stderr: str) -> str:
    first = stderr.strip().splitlines()[0] if stderr.strip() else ""
    first = re.sub(r" at http://127\.0\.0\.1:\d+(/v1)?", "", first)  # the port changes every run
    if code < 0:
        return f"killed after {KILL_AFTER_S:g} s"
    if code == 0 and "Used the offline rewrite instead" in first:
        return "offline fallback: " + first.removeprefix("rephraser: notice: ")
    if code == 0 and not first:
        return "model rewrite"
    return f"exit {code}: " + first.removeprefix("rephraser: ")


# -- network: hostile endpoints ---------------------------------------------------------------------------

Setup = Callable[[FakeLLMServer, contextlib.ExitStack], Callable[[], str]]


def _endpoint(name: str, setup: Setup) -> Scenario:
    """A scenario: a loopback server set up by `setup`, the CLI in model mode against it."""

    def run(folder: Path) -> Measurement:
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(FakeLLMServer())
            note = setup(server, stack)
            (folder / "config.toml").write_text(
                f'mode = "model"\nbase_url = "{server.url}"\nmodel = "small-model"\n'
                f"request_deadline_s = {DEADLINE_S}\n",
                encoding="utf-8",
            )
            measured = run_rephraser(["rewrite"], TEXT, folder)
            extra = note()
        return measured._replace(outcome=f"{extra}{measured.outcome}")  # first: long outcomes are cut

    return Scenario(name, run)


def _faulty(fault: str, **behaviour: object) -> Setup:
    def setup(server: FakeLLMServer, _stack: contextlib.ExitStack) -> Callable[[], str]:
        server.behaviour.fault = fault
        for field, value in behaviour.items():
            setattr(server.behaviour, field, value)
        return lambda: ""

    return setup


def _stalled_503(server: FakeLLMServer, _stack: contextlib.ExitStack) -> Callable[[], str]:
    server.behaviour.statuses = [503, 503, 503]
    server.behaviour.stall_error_body = True
    return lambda: ""


def _redirect_elsewhere(server: FakeLLMServer, stack: contextlib.ExitStack) -> Callable[[], str]:
    other = stack.enter_context(FakeLLMServer(host="127.0.0.2"))
    server.behaviour.redirect_to = other.url
    return lambda: f"[other host: {len(other.requests)} requests] "


NETWORK_SCENARIOS = [
    _endpoint("healthy endpoint (baseline)", lambda _server, _stack: lambda: ""),
    _endpoint("drip: 1 byte/s", _faulty("drip", interval_s=1.0)),
    _endpoint('SSE ": ping" every 0.5 s', _faulty("ping", interval_s=0.5)),
    _endpoint("one 400 MB SSE line", _faulty("huge_line", flood_bytes=400_000_000)),
    _endpoint("300 MB of data: lines, no blank line", _faulty("endless_event", flood_bytes=300_000_000)),
    _endpoint("503, then a stalled body", _stalled_503),
    _endpoint("307 to another host", _redirect_elsewhere),
]

SCENARIOS: list[Scenario] = [*NETWORK_SCENARIOS]


def main() -> None:
    ensure_bytecode()
    print(f"hostile inputs, `rephraser rewrite` as a fresh process, request_deadline_s = {DEADLINE_S:g}")
    print(f"  goals: wait <= {WAIT_GOAL_S:g} s (deadline + 5 s), peak RSS < {RSS_GOAL_MB:g} MB")
    print(f"  {'scenario':<40}{'wait':>9}{'peak RSS':>12}   goals   outcome")
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory(prefix="rephraser-bench-") as folder:
            measured = scenario.run(Path(folder))
        met = measured.wait_s <= WAIT_GOAL_S and measured.peak_rss_mb < RSS_GOAL_MB
        outcome = measured.outcome if len(measured.outcome) <= 110 else measured.outcome[:107] + "..."
        print(
            f"  {scenario.name:<40}{measured.wait_s:>7.1f} s{measured.peak_rss_mb:>9.1f} MB"
            f"   {'met' if met else 'MISSED':<6}  {outcome}"
        )


if __name__ == "__main__":
    main()
    print()
    # The other half of the limits: runaway user templates, through the same CLI.
    import runpy

    runpy.run_path(str(Path(__file__).with_name("limits_templates.py")), run_name="__main__")

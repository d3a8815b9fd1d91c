"""Runaway user templates against the real CLI: how long until it gives up, and how much memory it took.

For each hostile template, installs it as a user template in a fresh REPHRASER_CONFIG_DIR and runs
`python -m rephraser rewrite --offline --template NAME` as a subprocess; prints the wait (s), the child's
peak RSS (MB, from wait4), its exit code and the first line it printed on stderr, beside the goals
(wait <= render deadline + 5 s, peak RSS < 150 MB). Figures, not verdicts: nothing here asserts.
Run: python bench/limits_templates.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rephraser.core.render_limits import RENDER_DEADLINE_S

HEADER = '{#\n[template]\ntarget = "chat"\ndescription = "A runaway template."\n#}\n'
NESTED_RANGES = "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"
RUNAWAY = {
    "nested-ranges": NESTED_RANGES,
    "repeat-1e9": "{{ 'x' * 10**9 }}",
    "deep-nesting": "{{ " + "(" * 200 + "1" + ")" * 200 + " }}",
    "spinning-loop": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    # More of the same kind: each builds its size past the checks some other way.
    "doubling-text": "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "shared-refs-printed": "{% set s = 'x' * 1000000 %}{{ [s] * 100000 }}",
    "append-flood": "{% set l = [] %}{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% set _ = l.append('x' ~ j) %}{% endfor %}{% endfor %}",
    "recursive-macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "huge-power": "{{ 10 ** (10 ** 9) }}",
    "wide-format": "{{ '%999999999d' % 1 }}",
}
WAIT_GOAL_S = RENDER_DEADLINE_S + 5
RSS_GOAL_MB = 150
GIVE_UP_S = 120


def run(name: str, source: str) -> tuple[float, float, str, str]:
    """Wait (s), peak RSS (MB), exit code and first stderr line of the CLI on this template."""
    config = Path(tempfile.mkdtemp(prefix="rephraser-limits-"))
    (config / "templates").mkdir()
    (config / "templates" / f"{name}.j2").write_text(HEADER + source, encoding="utf-8")
    command = [sys.executable, "-m", "rephraser", "rewrite", "--offline", "--template", name]
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(config)}
    with tempfile.TemporaryFile() as stderr:
        start = time.monotonic()
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        assert child.stdin is not None
        child.stdin.write(b"hello there")
        child.stdin.close()
        status, rusage = _wait(child.pid, start)
        wait_s = time.monotonic() - start
        child.returncode = status  # reaped by wait4 above
        stderr.seek(0)
        first = stderr.read().decode("utf-8", "replace").strip().splitlines()[:1]
    code = "killed" if status is None else str(status)
    return wait_s, rusage / 1024, code, (first[0] if first else "")


def _wait(pid: int, start: float) -> tuple[int | None, int]:
    """Reap the child with its rusage; kill it after GIVE_UP_S."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss
        if time.monotonic() - start > GIVE_UP_S:
            os.kill(pid, 9)
            _, _, usage = os.wait4(pid, 0)
            return None, usage.ru_maxrss
        time.sleep(0.02)


def main() -> None:
    print(f"runaway user templates, `rephraser rewrite --offline --template NAME`, deadline {RENDER_DEADLINE_S:g} s")
    print(f"  {'template':<20} {'wait s':>7} {'goal':>6} {'peak MB':>8} {'goal':>6} {'exit':>6}  message")
    for name, source in RUNAWAY.items():
        wait_s, rss_mb, code, message = run(name, source)
        message = message.split(": ", 2)[-1] if message.count(": ") >= 2 else message
        print(
            f"  {name:<20} {wait_s:>7.2f} {'<=' + format(WAIT_GOAL_S, 'g'):>6} {rss_mb:>8.1f} "
            f"{'<' + str(RSS_GOAL_MB):>6} {code:>6}  {message[:90]}"
        )


if __name__ == "__main__":
    main()

"""Timing helpers shared by the bench scripts (figures, not verdicts: nothing here asserts)."""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import rephraser

REPO = Path(__file__).resolve().parent.parent


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def ensure_bytecode() -> None:
    """Compile the package as an installed wheel would be, so a source checkout is measured fairly
    (PYTHONDONTWRITEBYTECODE would otherwise make every run compile from source)."""
    compileall.compile_dir(str(Path(rephraser.__file__).parent), quiet=1)


def rephraser_command() -> list[str]:
    """The console script beside this Python, as a user runs it."""
    script = Path(sys.executable).parent / "rephraser"
    if script.exists():
        return [str(script)]
    found = shutil.which("rephraser")
    return [found] if found else [sys.executable, "-m", "rephraser"]


def time_commands(
    commands: dict[str, Sequence[str]], stdin: bytes = b"", runs: int = 10, env: dict[str, str] | None = None
) -> dict[str, list[float]]:
    """Wall time of whole processes, each command in turn per round (a machine that slows down or speeds
    up mid-run then shifts every command alike, not one of them), after one warm-up round (disk cache,
    bytecode, template cache)."""
    environment = {**os.environ, **(env or {})}
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for index in range(runs + 1):
        for label, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, input=stdin, stdout=subprocess.DEVNULL, env=environment, check=True)
            if index:
                samples[label].append(time.perf_counter() - start)
    return samples

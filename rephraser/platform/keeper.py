"""Keeps the clipboard after quit: hands the bytes to a detached helper process of the platform's
(rephraser.platform.x11.selection_server, rephraser.platform.wayland.keeper), which gives them to a
clipboard manager or serves them itself. X11 and Wayland selections both live in their owner, so what
Rephraser owns would otherwise go with it.

The helper reads one JSON line `{"formats": [[mime, length], ...], "save_deadline_s": S}` and then the bytes
in that order from stdin, forks and exits at once (so it can be reaped while the server lives on), and
reports one JSON line: `{"kept": "manager" | "helper", "pid": N, "note": "..."}` or `{"error": "..."}`."""

from __future__ import annotations

import json
import os
import select
import sys
import time
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

from rephraser.core.desktop.ports import ClipboardHandover

if TYPE_CHECKING:
    import subprocess

__all__ = ["HelperClipboardKeeper", "read_payload"]

# A clipboard manager copies every format before it answers; Qt waits 5 s for one, so do we.
SAVE_DEADLINE_S = 5.0
_START_DEADLINE_S = 10.0  # interpreter start-up plus the X round trips, with both cores busy


class HelperClipboardKeeper:
    """Implements rephraser.core.desktop.ports.ClipboardKeeperPort with a detached helper process: `module`
    run with `python -m`, with `env` added to ours (the display it must reach)."""

    def __init__(self, module: str, env: Mapping[str, str], save_deadline_s: float = SAVE_DEADLINE_S) -> None:
        self._module = module
        self._env = dict(env)
        self._save_deadline_s = save_deadline_s

    def keep(self, formats: Mapping[str, bytes]) -> ClipboardHandover:
        import subprocess  # only at quit: its import is ~9 ms of start-up otherwise

        env = {**os.environ, **self._env}
        try:
            launcher = subprocess.Popen(
                [sys.executable, "-m", self._module],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd="/",
                start_new_session=True,  # a Ctrl+C or SIGTERM to our process group must not reach it
            )
        except OSError as exc:
            return ClipboardHandover(problem=f"the clipboard keeper could not start ({exc})")
        assert launcher.stdin is not None and launcher.stdout is not None
        try:
            _write_payload(launcher.stdin, formats, self._save_deadline_s)
            line = _read_line(launcher.stdout.fileno(), self._save_deadline_s + _START_DEADLINE_S)
        finally:
            launcher.stdout.close()
            _reap(launcher)
        return _parse(line)


def _write_payload(stream: IO[bytes], formats: Mapping[str, bytes], save_deadline_s: float) -> None:
    header = {"formats": [[name, len(data)] for name, data in formats.items()], "save_deadline_s": save_deadline_s}
    try:
        stream.write(json.dumps(header).encode() + b"\n")
        for data in formats.values():
            stream.write(data)
        stream.close()
    except OSError:
        pass  # the keeper died at start-up; reading its report says so


def _read_line(fd: int, deadline_s: float) -> bytes:
    """One line from `fd`, or what arrived before end of file or the deadline."""
    data = b""
    deadline = time.monotonic() + deadline_s
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\n", 1)[0]


def _reap(launcher: subprocess.Popen[bytes]) -> None:
    """The launcher forks the server off and exits at once; a launcher stuck past that is stopped."""
    import subprocess

    try:
        launcher.wait(timeout=_START_DEADLINE_S)
    except subprocess.TimeoutExpired:
        launcher.kill()
        launcher.wait()


def _parse(line: bytes) -> ClipboardHandover:
    try:
        report = json.loads(line)
    except ValueError:
        return ClipboardHandover(problem="the clipboard keeper exited without a word")
    if not isinstance(report, dict) or "error" in report:
        problem = report.get("error") if isinstance(report, dict) else report
        return ClipboardHandover(problem=f"the clipboard keeper failed ({problem})")
    return ClipboardHandover(str(report.get("kept", "")), int(report.get("pid", 0)), str(report.get("note", "")))


def read_payload(stream: IO[bytes]) -> tuple[dict[str, bytes], float]:
    """The helper's side: the formats (MIME type -> bytes) and the clipboard manager's deadline."""
    header = json.loads(stream.readline())
    formats = {}
    for name, length in header["formats"]:
        data = stream.read(length)
        if len(data) != length:
            raise ValueError(f"{name}: {len(data)} of {length} bytes")
        formats[str(name)] = data
    return formats, float(header.get("save_deadline_s", 5.0))

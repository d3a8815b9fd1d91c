"""Child processes that behave the same however the tests were launched, and that never outlive a test."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

__all__ = ["alive", "default_signals", "end_process", "wait_gone"]

# A backgrounded shell (`bash tests/run_all.sh &`) starts its jobs with SIGINT and SIGQUIT ignored, and
# children inherit that: a test that sends a signal must undo it, or the signal does nothing.
_RESET = (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP)


def default_signals() -> None:
    """`preexec_fn` for a child that a test will signal: every signal it uses back to its default."""
    for number in _RESET:
        signal.signal(number, signal.SIG_DFL)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped by its parent, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pid: int, timeout_s: float = 30) -> bool:
    """Wait (generously) for `pid` to end by itself; True if it did."""
    deadline = time.monotonic() + timeout_s
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def end_process(pid: int, timeout_s: float = 10) -> None:
    """Stop `pid` if it still runs: SIGTERM, then SIGKILL."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        if not alive(pid):
            return
        try:
            os.kill(pid, number)
        except ProcessLookupError:
            return
        if wait_gone(pid, timeout_s):
            return


def start_session_bus() -> tuple[subprocess.Popen[str], str]:
    """A private D-Bus session bus (dbus-daemon) and its address; end it with `stop_session_bus`."""
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    return bus, bus.stdout.readline().strip()


def stop_session_bus(bus: subprocess.Popen[str]) -> None:
    end_process(bus.pid)
    bus.wait(timeout=10)
    if bus.stdout is not None:
        bus.stdout.close()

"""How the process treats Python's cycle collector over its life.

A command lives for one rewrite or one request. Collecting cycles while its modules load, and again while
the interpreter tears them down at exit, was ~25 ms of a ~170 ms `rephraser rewrite --offline`; nothing it
builds needs collecting before it exits. The commands that stay running (the tray app, the settings
window) freeze what start-up built out of the collector's scans, and collect on the GUI thread when idle
(rephraser.desktop.collector), never automatically.
"""

from __future__ import annotations

import gc

__all__ = ["end_command", "keep_running", "start_command"]


def start_command() -> None:
    """Process start: no collection while the command loads and runs."""
    gc.disable()


def keep_running() -> None:
    """Start-up is over and the process stays: what start-up built is never rescanned. Collection stays
    off here; the desktop's IdleCollector runs it on the GUI thread."""
    gc.freeze()


def end_command() -> None:
    """Process end: the teardown at exit skips the frozen objects instead of scanning them all."""
    gc.freeze()

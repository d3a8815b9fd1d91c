"""Start the tray app at login on macOS: a per-user launchd agent (~/Library/LaunchAgents)."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

from rephraser.core.files import write_atomically

__all__ = ["LABEL", "LaunchAgentAutostart"]

LABEL = "org.rephraser.Rephraser"


class LaunchAgentAutostart:
    """Implements rephraser.core.desktop.ports.AutostartPort with a launchd agent that runs at load (login)."""

    def __init__(self, home: Path | None = None, python: str = sys.executable) -> None:
        self._path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        self._python = python

    def enabled(self) -> bool:
        return self._path.exists()

    def enable(self) -> str:
        agent = {
            "Label": LABEL,
            "ProgramArguments": [self._python, "-m", "rephraser", "run"],
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
        write_atomically(self._path, plistlib.dumps(agent).decode("utf-8"))
        return str(self._path)

    def disable(self) -> str | None:
        if not self._path.exists():
            return None
        self._path.unlink()
        return str(self._path)

"""Start the tray app at login through an XDG autostart entry (`~/.config/autostart/rephraser.desktop`)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from rephraser.core.files import write_atomically
from rephraser.core.resources import resources_dir

__all__ = ["XdgAutostart", "autostart_path"]


def autostart_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / "rephraser.desktop"


class XdgAutostart:
    """Implements rephraser.core.desktop.ports.AutostartPort with an XDG autostart entry."""

    def enabled(self) -> bool:
        return autostart_path().exists()

    def enable(self) -> str:
        """Write the entry (from the shipped .desktop file, with Exec pointing at this installation)."""
        template = (resources_dir() / "rephraser.desktop").read_text(encoding="utf-8")
        command = shlex.join([sys.executable, "-m", "rephraser", "run"])
        lines = [f"Exec={command}" if line.startswith("Exec=") else line for line in template.splitlines()]
        lines.append("X-GNOME-Autostart-enabled=true")
        path = autostart_path()
        write_atomically(path, "\n".join(lines) + "\n")
        return str(path)

    def disable(self) -> str | None:
        """Remove the entry; None if there was none."""
        path = autostart_path()
        if not path.exists():
            return None
        path.unlink()
        return str(path)

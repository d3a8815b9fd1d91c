"""Start the tray app at login on Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any, Protocol

__all__ = ["RUN_KEY", "Registry", "RunKeyAutostart", "WinregRegistry"]

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
_VALUE = "Rephraser"


class Registry(Protocol):
    """The current user's Run key (winreg on Windows; tests: a dict)."""

    def read(self, name: str) -> str | None: ...

    def write(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> bool:
        """Remove the value; False when there was none."""
        ...


def _winreg() -> Any:
    return importlib.import_module("winreg")  # Windows only (and typed for Windows only)


class WinregRegistry:
    """Registry on winreg (Windows only)."""

    def read(self, name: str) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                return str(winreg.QueryValueEx(key, name)[0])
        except FileNotFoundError:
            return None

    def write(self, name: str, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> bool:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            return False
        return True


class RunKeyAutostart:
    """Implements rephraser.core.desktop.ports.AutostartPort with the Run key (no console window: pythonw)."""

    def __init__(self, registry: Registry | None = None, python: str = sys.executable) -> None:
        self._registry = registry or WinregRegistry()
        self._python = python

    def enabled(self) -> bool:
        return self._registry.read(_VALUE) is not None

    def enable(self) -> str:
        windowless = self._python[:-10] + "pythonw.exe" if self._python.lower().endswith("python.exe") else self._python
        self._registry.write(_VALUE, subprocess.list2cmdline([windowless, "-m", "rephraser", "run"]))
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{_VALUE}"

    def disable(self) -> str | None:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{_VALUE}" if self._registry.delete(_VALUE) else None

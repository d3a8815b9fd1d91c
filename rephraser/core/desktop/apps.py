"""What Rephraser knows about target apps: which are terminals, how each pastes, how to capture.

Data, not branches: extend the tables to teach Rephraser a new terminal.
"""

from __future__ import annotations

from typing import NamedTuple

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo

__all__ = ["PastePlan", "paste_plan"]

# Terminals that paste PRIMARY with Shift+Insert (and where Ctrl+Shift+V is not bound by default).
_PRIMARY_PASTERS = frozenset({"xterm", "uxterm", "urxvt", "rxvt", "urxvt-256color", "rxvt-unicode"})
# Terminals that paste CLIPBOARD with Ctrl+Shift+V.
_TERMINALS = frozenset(
    {
        "gnome-terminal",
        "gnome-terminal-server",
        "org.gnome.terminal",
        "org.gnome.console",
        "kgx",
        "konsole",
        "alacritty",
        "kitty",
        "wezterm",
        "wezterm-gui",
        "org.wezfurlong.wezterm",
        "terminator",
        "tilix",
        "xfce4-terminal",
        "lxterminal",
        "qterminal",
        "foot",
        "st",
        "st-256color",
        "terminology",
        "tilda",
        "guake",
        "mate-terminal",
        "deepin-terminal",
        "sakura",
        "terminal",
        "ptyxis",
        "org.gnome.ptyxis",
        "blackbox",
    }
)

# Windows terminals, by executable (as WindowsFocus names the app) or window class: there is no PRIMARY, and
# Ctrl+C would interrupt the program, so Ctrl+Insert copies and Shift+Insert pastes (Windows Terminal,
# conhost and mintty all bind both); the key that clears the input line: Esc in cmd and PowerShell (the
# shells of Windows Terminal and conhost), Ctrl+U in mintty's bash.
_WINDOWS_TERMINALS = {
    "windowsterminal": "Escape",
    "cascadia_hosting_window_class": "Escape",
    "conhost": "Escape",
    "consolewindowclass": "Escape",
    "openconsole": "Escape",
    "mintty": "u",
}

# macOS terminals, by bundle identifier (as MacFocus names the app): Command+C copies (no interrupt there) and
# Command+V pastes, as in every Mac app; Ctrl+U clears the shell's line.
_MAC_TERMINALS = frozenset(
    {
        "com.apple.terminal",
        "com.googlecode.iterm2",
        "net.kovidgoyal.kitty",
        "org.alacritty",
        "io.alacritty",
        "com.github.wez.wezterm",
        "com.mitchellh.ghostty",
        "dev.warp.warp-stable",
    }
)

# How many times an app reads the clipboard for one paste, measured under Xvfb (see bench/desktop.py): the
# clipboard is restored right after the last read. Chromium reads twice, and its browsers share its
# clipboard code. Apps not listed get a quiet period after each read instead (slower, and safe for any
# number of reads).
_READS_PER_PASTE = {
    "chromium": 2,
    "chromium-browser": 2,
    "google-chrome": 2,
    "brave-browser": 2,
    "microsoft-edge": 2,
    "vivaldi-stable": 2,
    "mousepad": 1,
    "geany": 1,
    "featherpad": 1,
    **dict.fromkeys(_PRIMARY_PASTERS, 1),
}

CTRL_C = KeyCombo(("ctrl",), "c")
CTRL_INSERT = KeyCombo(("ctrl",), "Insert")
ESCAPE = KeyCombo((), "Escape")
CMD_C = KeyCombo(("super",), "c")  # on macOS "super" is Command
CMD_V = KeyCombo(("super",), "v")
CTRL_V = KeyCombo(("ctrl",), "v")
CTRL_U = KeyCombo(("ctrl",), "u")
SHIFT_INSERT = KeyCombo(("shift",), "Insert")
CTRL_SHIFT_V = KeyCombo(("ctrl", "shift"), "v")


class PastePlan(NamedTuple):
    """How to capture from and paste into one app."""

    terminal: bool
    capture_primary: bool  # read the selection from PRIMARY instead of sending Ctrl+C
    paste_key: KeyCombo
    paste_primary: bool  # serve the rewrite on PRIMARY (Shift+Insert in xterm) rather than CLIPBOARD
    clear_line_first: KeyCombo | None  # terminals: clear the input line so the rewrite replaces it
    paste_reads: int = 0  # the app's reads of the clipboard per paste (0: not known)
    copy_key: KeyCombo = CTRL_C  # what copies the selection when PRIMARY is not read


def paste_plan(
    app: AppInfo, capture: str = "auto", terminal_replace: bool = True, command_key: bool = False
) -> PastePlan:
    """The plan for `app`. capture: "auto" (PRIMARY in terminals, where Ctrl+C would interrupt; copy
    elsewhere, where it reflects the current selection exactly), "primary" or "copy". command_key: the
    platform copies and pastes with Command (macOS: no PRIMARY either)."""
    names = {app.app_class.lower(), app.instance.lower()} - {""}
    if command_key:
        terminal = bool(names & _MAC_TERMINALS)
        return PastePlan(terminal, False, CMD_V, False, CTRL_U if terminal and terminal_replace else None, 0, CMD_C)
    windows_terminal = next((_WINDOWS_TERMINALS[name] for name in names if name in _WINDOWS_TERMINALS), "")
    if windows_terminal:
        clear = (ESCAPE if windows_terminal == "Escape" else CTRL_U) if terminal_replace else None
        return PastePlan(True, False, SHIFT_INSERT, False, clear, 0, CTRL_INSERT)
    primary_paster = bool(names & _PRIMARY_PASTERS)
    terminal = primary_paster or bool(names & _TERMINALS)
    capture_primary = capture == "primary" or (capture == "auto" and terminal)
    if primary_paster:
        key, paste_primary = SHIFT_INSERT, True
    elif terminal:
        key, paste_primary = CTRL_SHIFT_V, False
    else:
        key, paste_primary = CTRL_V, False
    clear = CTRL_U if terminal and terminal_replace else None
    reads = max((_READS_PER_PASTE.get(name, 0) for name in names), default=0)
    return PastePlan(terminal, capture_primary, key, paste_primary, clear, reads)

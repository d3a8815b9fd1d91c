"""`rephraser shortcut install | remove`: the hotkeys as the desktop's own shortcuts, each running
`rephraser hotkey NAME`, where Rephraser cannot grab them itself (Wayland outside sway, with native apps).

GNOME: custom keybindings in gsettings. KDE Plasma: the tray app binds its hotkeys through the desktop
portal; `install` writes the desktop entry that lets it type copy and paste in KWin. sway: a file in
~/.config/sway/config.d. Hyprland: a file sourced by hyprland.conf.
Anywhere else: the exact steps to do it by hand.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.errors import RephraserError
from rephraser.core.files import write_atomically

__all__ = [
    "APP_ID",
    "DESKTOPS",
    "Shortcut",
    "ShortcutError",
    "detect_desktop",
    "ensure_app_entry",
    "gnome_shortcuts_installed",
    "install",
    "kde_desktop_entry",
    "remove",
    "shortcuts",
]

DESKTOPS = ("gnome", "kde", "sway", "hyprland", "other")
_GNOME_LIST = ("org.gnome.settings-daemon.plugins.media-keys", "custom-keybindings")
_GNOME_PATH = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/rephraser-{}/"
_GNOME_BINDING = "org.gnome.settings-daemon.plugins.media-keys.custom-keybinding:{}"
_MARK = "# Rephraser's hotkeys (`rephraser shortcut install`; `rephraser shortcut remove` takes them out)"


class ShortcutError(RephraserError):
    """The desktop's shortcut settings could not be changed."""


class Shortcut(NamedTuple):
    name: str  # the hotkey's name: main, chat, ..., revert, describe
    combo: KeyCombo
    command: str  # what the desktop runs


def shortcuts(hotkeys: Mapping[str, KeyCombo], python: str = sys.executable) -> list[Shortcut]:
    return [
        Shortcut(name, combo, shlex.join([python, "-m", "rephraser", "hotkey", name]))
        for name, combo in hotkeys.items()
    ]


def detect_desktop(environ: Mapping[str, str] = os.environ) -> str:
    """gnome, kde, sway, hyprland or other, from the session's variables."""
    current = environ.get("XDG_CURRENT_DESKTOP", "").lower()
    if environ.get("HYPRLAND_INSTANCE_SIGNATURE") or "hyprland" in current:
        return "hyprland"
    if environ.get("SWAYSOCK") or "sway" in current:
        return "sway"
    if "kde" in current:
        return "kde"
    if "gnome" in current or "unity" in current:
        return "gnome"
    return "other"


Run = Callable[[list[str]], str]


def _gsettings(command: list[str]) -> str:
    try:
        done = subprocess.run(["gsettings", *command], capture_output=True, text=True, timeout=30, check=False)
    except FileNotFoundError as error:
        raise ShortcutError("gsettings is missing: install libglib2.0-bin, or add the shortcuts by hand.") from error
    if done.returncode:
        raise ShortcutError(f"gsettings {command[0]} failed: {done.stderr.strip()[:200]}")
    return done.stdout.strip()


def install(desktop: str, wanted: list[Shortcut], home: Path, run: Run = _gsettings) -> list[str]:
    """Add the shortcuts to `desktop`'s settings (replacing Rephraser's earlier ones); what was done, and
    what the user must still do, line by line.

    Raises:
        ShortcutError
    """
    remove(desktop, home, run)
    if desktop == "gnome":
        return _gnome_install(wanted, run)
    if desktop == "kde":
        return _kde_install(wanted, home)
    if desktop == "sway":
        return _sway_install(wanted, home)
    if desktop == "hyprland":
        return _hyprland_install(wanted, home)
    return _by_hand(wanted)


def remove(desktop: str, home: Path, run: Run = _gsettings) -> list[str]:
    """Take Rephraser's shortcuts out of `desktop`'s settings; what was removed.

    Raises:
        ShortcutError
    """
    if desktop == "gnome":
        return _gnome_remove(run)
    if desktop == "kde":
        return _kde_remove(home)
    paths = {"sway": _sway_file(home), "hyprland": _hyprland_file(home)}
    path = paths.get(desktop)
    if path is None or not path.exists():
        return []
    path.unlink()
    return [f"removed {path}"]


# -- GNOME ---------------------------------------------------------------------------------------------


def _gnome_accelerator(combo: KeyCombo) -> str:
    names = {"ctrl": "<Control>", "alt": "<Alt>", "shift": "<Shift>", "super": "<Super>"}
    return "".join(names[m] for m in combo.modifiers) + combo.key


def _gnome_paths(run: Run) -> list[str]:
    listed = run(["get", *_GNOME_LIST]).removeprefix("@as ")
    try:
        paths = ast.literal_eval(listed)
    except (ValueError, SyntaxError) as error:
        raise ShortcutError(f"gsettings gave an unexpected list of custom shortcuts: {listed[:80]}") from error
    return [str(path) for path in paths]


def gnome_shortcuts_installed(run: Run = _gsettings) -> bool:
    """Whether GNOME's custom shortcuts hold Rephraser's (False when gsettings cannot tell)."""
    try:
        return any("/rephraser-" in path for path in _gnome_paths(run))
    except ShortcutError:
        return False


def _gnome_install(wanted: list[Shortcut], run: Run) -> list[str]:
    paths = _gnome_paths(run)
    for shortcut in wanted:
        path = _GNOME_PATH.format(shortcut.name)
        schema = _GNOME_BINDING.format(path)
        run(["set", schema, "name", f"Rephraser: {shortcut.name}"])
        run(["set", schema, "command", shortcut.command])
        run(["set", schema, "binding", _gnome_accelerator(shortcut.combo)])
        paths.append(path)
    run(["set", *_GNOME_LIST, str(paths)])
    done = [f"GNOME: {s.combo} runs {s.command}" for s in wanted]
    return [*done, "GNOME uses them at once (Settings > Keyboard > Keyboard Shortcuts > Custom Shortcuts lists them)."]


def _gnome_remove(run: Run) -> list[str]:
    paths = _gnome_paths(run)
    ours = [path for path in paths if "/rephraser-" in path]
    if not ours:
        return []
    for path in ours:
        for key in ("name", "command", "binding"):
            run(["reset", _GNOME_BINDING.format(path), key])
    run(["set", *_GNOME_LIST, str([path for path in paths if path not in ours])])
    return [f"GNOME: removed {len(ours)} shortcut(s)"]


# -- KDE Plasma ----------------------------------------------------------------------------------------


APP_ID = "io.github.rephraser.Rephraser"  # the desktop entry's name: the portal's app id on Plasma 6


def _kde_files(home: Path) -> tuple[Path, Path]:
    return home / ".local" / "share" / "applications", home / ".config" / "kglobalshortcutsrc"


def _kde_shortcut(combo: KeyCombo) -> str:
    names = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Meta"}
    return "+".join([*(names[m] for m in combo.modifiers), combo.key.upper() if len(combo.key) == 1 else combo.key])


def _kde_config(path: Path) -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None, delimiters=("=",), strict=False)
    config.optionxform = str  # type: ignore[assignment, method-assign]  # KDE's keys are case-sensitive
    if path.exists():
        try:
            config.read(path, encoding="utf-8")
        except configparser.Error as error:
            raise ShortcutError(f"{path} could not be read ({error}); add the shortcuts by hand.") from error
    return config


def kde_desktop_entry(python: str, kwin_grant: bool = True) -> str:
    """The app's desktop entry; with `kwin_grant`, it asks KWin for fake input. KWin grants a Wayland client
    what the entry whose command is the client's executable asks for: for Rephraser that executable is the
    Python interpreter itself."""
    interpreter = os.path.realpath(python)
    return (
        "[Desktop Entry]\nType=Application\nName=Rephraser\nComment=Rewrite the selected text as a good prompt\n"
        f"Exec={shlex.join([interpreter, '-m', 'rephraser', 'run'])}\nIcon=rephraser\nNoDisplay=true\n"
        + ("X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n" if kwin_grant else "")
    )


def ensure_app_entry(home: Path, python: str = sys.executable) -> None:
    """Write the app's desktop entry (without KWin's grant) when none exists: xdg-desktop-portal 1.19+
    accepts an unsandboxed app's id only when an entry of that name is installed. A folder that cannot
    be written leaves the portal to decide (older ones need no entry)."""
    entry = _kde_files(home)[0] / f"{APP_ID}.desktop"
    if entry.exists():
        return
    with contextlib.suppress(OSError):
        write_atomically(entry, kde_desktop_entry(python, kwin_grant=False))


def _kde_install(wanted: list[Shortcut], home: Path, python: str = sys.executable) -> list[str]:
    """On Plasma the tray app registers the hotkeys itself (the GlobalShortcuts portal); what it cannot
    get without the user is KWin's leave to type copy and paste: the desktop entry asks for it."""
    applications, _rc = _kde_files(home)
    entry = applications / f"{APP_ID}.desktop"
    write_atomically(entry, kde_desktop_entry(python))
    _refresh_kde_services(home)
    keys = ", ".join(f"{_kde_shortcut(s.combo)} ({s.name})" for s in wanted)
    return [
        f"KDE: {entry} lets Rephraser type copy and paste in KWin (at once, no new login).",
        f"KDE: the running Rephraser registers its hotkeys with Plasma: {keys}; change them in System "
        "Settings > Shortcuts.",
        f"Note: KWin grants this to {os.path.realpath(python)}, the Python interpreter that runs Rephraser, "
        "and so to any program it runs; `rephraser shortcut remove` takes it back.",
    ]


def _refresh_kde_services(home: Path) -> None:
    """KWin 6 finds the entry through KDE's service cache (ksycoca), which a Plasma session rebuilds
    when it notices the new file: rebuilt here at once (measured on KWin 6.3: no grant before). KWin
    5.27 reads the entries itself; a missing tool changes nothing there."""
    tool = shutil.which("kbuildsycoca6") or shutil.which("kbuildsycoca5")
    if tool is None:
        return
    environ = {**os.environ, "HOME": str(home)}  # the cache of the home the entry went to
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([tool], env=environ, capture_output=True, timeout=60, check=False)


def _kde_remove(home: Path) -> list[str]:
    """The entry, and the launcher shortcuts of earlier versions (one entry and kglobalshortcutsrc line
    each)."""
    applications, rc = _kde_files(home)
    removed = [path for path in applications.glob("rephraser-*.desktop")]
    entry = applications / f"{APP_ID}.desktop"
    if entry.exists():
        removed.append(entry)
    for path in removed:
        path.unlink()
    config = _kde_config(rc)
    ours = [section for section in config.sections() if section.startswith("services][rephraser-")]
    for section in ours:
        config.remove_section(section)
    if ours:
        _write_config(config, rc)
    return [f"KDE: removed {', '.join(path.name for path in removed)}"] if removed or ours else []


def _write_config(config: configparser.ConfigParser, path: Path) -> None:
    lines = []
    for section in config.sections():
        lines.append(f"[{section}]")
        lines += [f"{key}={value}" for key, value in config.items(section)]
        lines.append("")
    write_atomically(path, "\n".join(lines))


# -- sway and Hyprland ---------------------------------------------------------------------------------


def _sway_file(home: Path) -> Path:
    return home / ".config" / "sway" / "config.d" / "rephraser"


def _sway_install(wanted: list[Shortcut], home: Path) -> list[str]:
    from rephraser.platform.wayland.sway import sway_combo

    path = _sway_file(home)
    lines = [_MARK, *(f"bindsym {sway_combo(s.combo)} exec {s.command}" for s in wanted)]
    write_atomically(path, "\n".join(lines) + "\n")
    config = home / ".config" / "sway" / "config"
    included = config.exists() and "config.d" in config.read_text(encoding="utf-8", errors="replace")
    include = [] if included else [f"Add this line to {config}: include {path.parent}/*"]
    return [f"sway: wrote {path}", *include, "Then reload sway (Mod+Shift+C, or `swaymsg reload`)."]


def _hyprland_file(home: Path) -> Path:
    return home / ".config" / "hypr" / "rephraser.conf"


def _hyprland_install(wanted: list[Shortcut], home: Path) -> list[str]:
    names = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "super": "SUPER"}
    path = _hyprland_file(home)
    lines = [_MARK]
    lines += [
        f"bind = {' '.join(names[m] for m in s.combo.modifiers)}, {s.combo.key}, exec, {s.command}" for s in wanted
    ]
    write_atomically(path, "\n".join(lines) + "\n")
    config = home / ".config" / "hypr" / "hyprland.conf"
    source = f"source = {path}"
    text = config.read_text(encoding="utf-8", errors="replace") if config.exists() else ""
    if source not in text:
        write_atomically(config, text + ("" if not text or text.endswith("\n") else "\n") + source + "\n")
    return [f"Hyprland: wrote {path}, sourced from {config} (Hyprland reloads it by itself)"]


def _by_hand(wanted: list[Shortcut]) -> list[str]:
    steps = ["This desktop's shortcut settings cannot be written from here. In its keyboard settings, add:"]
    return [*steps, *(f"  a custom shortcut {s.combo} that runs: {s.command}" for s in wanted)]

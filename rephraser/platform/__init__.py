"""Implementations of the core's ports per platform, and the one place that picks them (STYLE.md section 2):
`select_desktop_backends()`, `select_autostart()` and `session_type()`. Nothing else looks at the platform."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple

from rephraser.core.desktop.ports import (
    AutostartPort,
    ClipboardKeeperPort,
    ClipboardPort,
    FocusPort,
    HotkeyPort,
    KeyPort,
)
from rephraser.core.errors import RephraserError

__all__ = [
    "DesktopBackends",
    "DesktopUnavailableError",
    "probe_hotkey",
    "select_autostart",
    "select_desktop_backends",
    "session_type",
    "wayland_desktop",
]


class DesktopUnavailableError(RephraserError):
    """No supported desktop session (an X11 display) to work in."""


class DesktopBackends(NamedTuple):
    """The chosen back-ends, how to feed their events, and why they were chosen (for `doctor` and logs)."""

    hotkeys: HotkeyPort
    keys: KeyPort
    focus: FocusPort
    clipboard_keeper: ClipboardKeeperPort | None  # keeps what Qt's clipboard owns alive after quit (X11)
    event_fd: int | None  # readable when the back-ends have events to pump (None: Qt's loop brings them)
    pump: Callable[[], None]
    close: Callable[[], None]
    description: str
    clipboard: ClipboardPort | None = None  # None: Qt's clipboard serves (X11); Wayland brings its own
    # A notice may float over the apps without taking the focus (X11 override-redirect); else it goes to
    # the desktop's notification server when no tray shows it (Wayland).
    floating_notices: bool = True
    # The preview before paste can take the keyboard without the focus (an X11 keyboard grab); elsewhere
    # rewrites paste at once.
    preview_window: bool = True
    command_key: bool = False  # copy and paste with Command, not Ctrl (macOS)
    problems: tuple[str, ...] = ()  # what the user must do before the loop works (shown once at start)
    extra_event_fds: tuple[int, ...] = ()  # more descriptors `pump` reads (KDE: the session D-Bus)


def session_type(environ: Mapping[str, str] = os.environ) -> str:
    """ "x11", "wayland", "windows", or "none" (no graphical session)."""
    if sys.platform in ("win32", "darwin"):
        return {"win32": "windows", "darwin": "macos"}[sys.platform]
    declared = environ.get("XDG_SESSION_TYPE", "").lower()
    if declared in ("x11", "wayland"):
        return declared
    if environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "x11" if environ.get("DISPLAY") else "none"


def wayland_desktop(environ: Mapping[str, str] = os.environ) -> str:
    """Which Wayland desktop runs: "sway" (or a wlroots compositor speaking its IPC), "kde", "gnome",
    "hyprland", "other", or "" (not a Wayland session, or no Wayland display to reach)."""
    if session_type(environ) != "wayland" or not environ.get("WAYLAND_DISPLAY"):
        return ""
    if environ.get("SWAYSOCK"):
        return "sway"
    desktops = environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
    if environ.get("HYPRLAND_INSTANCE_SIGNATURE"):
        return "hyprland"
    for name in ("KDE", "GNOME"):
        if name in desktops:
            return name.lower()
    return "other"


def _xwayland_why(desktop: str) -> str:
    steps = {
        "gnome": "run `rephraser shortcut install` for the hotkeys",
        "hyprland": "run `rephraser shortcut install` for Hyprland bindings",
    }
    step = steps.get(desktop, "bind `rephraser trigger` in the desktop's shortcut settings")
    return f"XWayland: global hotkeys and keys reach X11 apps only; {step}"


def select_desktop_backends(environ: Mapping[str, str] = os.environ) -> DesktopBackends:
    """On Wayland under sway, the sway back-ends (data-control clipboard, virtual keyboard, bindings and
    focus through sway's IPC); under KDE Plasma, the KDE ones (data-control, KWin's fake input, the
    GlobalShortcuts portal); under GNOME, the portal ones (RemoteDesktop keys, the Clipboard portal,
    GlobalShortcuts or GNOME's own shortcuts); else X11 back-ends (libX11 and libXtst) when a display is
    reachable, which on other Wayland desktops work through XWayland, where global hotkeys only reach X11 apps (bind
    `rephraser trigger` in the desktop's shortcut settings instead).

    On Windows, the Win32 back-ends (RegisterHotKey, SendInput, the Win32 clipboard); on macOS, Carbon
    hot keys, Quartz key events and the pasteboard.

    Raises:
        DesktopUnavailableError
    """
    if sys.platform == "win32":
        from rephraser.platform.windows.backends import windows_backends

        return windows_backends()
    if sys.platform == "darwin":
        from rephraser.platform.macos.backends import macos_backends

        return macos_backends()
    desktop = wayland_desktop(environ)
    if desktop == "sway":
        from rephraser.platform.wayland.backends import sway_backends

        return sway_backends(environ)
    fallback = ""
    if desktop in ("kde", "gnome"):
        from rephraser.platform.wayland import backends

        native = backends.kde_backends if desktop == "kde" else backends.gnome_backends
        try:
            return native(environ)
        except DesktopUnavailableError as error:
            if not environ.get("DISPLAY"):
                raise
            fallback = f"; the {desktop.upper()} back-ends failed: {error}"
    if not environ.get("DISPLAY"):
        raise DesktopUnavailableError(
            "No X11 display (DISPLAY is not set). Rephraser's desktop loop needs an X11 session, XWayland, "
            "sway, KDE Plasma or GNOME; the command line (`rephraser rewrite`) works anywhere."
        )
    from rephraser.platform.keeper import HelperClipboardKeeper
    from rephraser.platform.x11.connection import X11Connection
    from rephraser.platform.x11.focus import X11Focus
    from rephraser.platform.x11.hotkeys import X11Hotkeys
    from rephraser.platform.x11.keys import X11Keys
    from rephraser.platform.x11.xlib import XUnavailableError

    try:
        connection = X11Connection(environ.get("DISPLAY"))
    except XUnavailableError as exc:
        raise DesktopUnavailableError(str(exc)) from exc
    why = "X11 session" if session_type(environ) == "x11" else _xwayland_why(desktop) + fallback
    return DesktopBackends(
        hotkeys=X11Hotkeys(connection),
        keys=X11Keys(connection),
        focus=X11Focus(connection),
        clipboard_keeper=HelperClipboardKeeper(
            "rephraser.platform.x11.selection_server", {"DISPLAY": environ.get("DISPLAY", "")}
        ),
        event_fd=connection.fileno(),
        pump=connection.pump,
        close=connection.close,
        description=(f"x11: XGrabKey hotkeys, XTest keys, _NET_ACTIVE_WINDOW focus, clipboard kept after quit ({why})"),
    )


def probe_hotkey(combo: str, environ: Mapping[str, str] = os.environ) -> str:
    """ "" when `combo` could be grabbed now, else why not. Uses its own short-lived connection so the running
    app's grabs stay as they are (a combination the app itself holds reads as taken: ask the app first)."""
    from rephraser.core.desktop.keys import parse_combo

    try:
        backends = select_desktop_backends(environ)
    except DesktopUnavailableError:
        return ""  # nothing to check against; the app says so when it starts
    try:
        failures = backends.hotkeys.grab({"probe": parse_combo(combo)}, lambda _name: None)
        backends.hotkeys.release_all()
    finally:
        backends.close()
    return failures[0].reason if failures else ""


def select_autostart() -> AutostartPort:
    """The Run registry key on Windows; elsewhere the XDG autostart entry (every Linux desktop reads it)."""
    if sys.platform == "win32":
        from rephraser.platform.windows.autostart import RunKeyAutostart

        return RunKeyAutostart()
    if sys.platform == "darwin":
        from rephraser.platform.macos.autostart import LaunchAgentAutostart

        return LaunchAgentAutostart()
    from rephraser.platform.xdg.autostart import XdgAutostart

    return XdgAutostart()

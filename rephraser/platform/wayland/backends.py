"""The Wayland back-ends. sway (and other wlroots compositors whose IPC speaks sway's protocol): one Wayland
connection for the clipboard and the keyboard, sway's IPC for bindings and the focused window. KDE Plasma
(KWin): the same data-control clipboard, KWin's fake input for keys, the GlobalShortcuts portal for
hotkeys, and no focused-window hints (KWin tells them to no ordinary client). GNOME (mutter): no Wayland
protocol at all; keys and clipboard through the RemoteDesktop and Clipboard portals, hotkeys through the
GlobalShortcuts portal (GNOME 48+) or the desktop's own shortcuts running `rephraser hotkey NAME`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from rephraser.core.config.paths import data_dir, ipc_socket_path
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo, GrabFailure, KeysRefusedError
from rephraser.platform import DesktopBackends, DesktopUnavailableError
from rephraser.platform.keeper import HelperClipboardKeeper
from rephraser.platform.shortcuts import APP_ID, ensure_app_entry, gnome_shortcuts_installed
from rephraser.platform.wayland.clipboard import WaylandClipboard
from rephraser.platform.wayland.data_control import DataControl
from rephraser.platform.wayland.fake_input import FakeInputKeys
from rephraser.platform.wayland.global_shortcuts import INTERFACE as GLOBAL_SHORTCUTS
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts, PortalHotkeys
from rephraser.platform.wayland.portal_bus import PortalBus, PortalError
from rephraser.platform.wayland.portal_clipboard import PortalClipboard
from rephraser.platform.wayland.remote_desktop import CLIPBOARD, REMOTE_DESKTOP, RemoteDesktopKeys, RemoteDesktopSession
from rephraser.platform.wayland.sway import SwayFocus, SwayHotkeys, SwayIpc
from rephraser.platform.wayland.virtual_keyboard import VirtualKeyboard
from rephraser.platform.wayland.wire import Connection, WaylandError

__all__ = ["gnome_backends", "kde_backends", "sway_backends"]


def sway_backends(environ: Mapping[str, str]) -> DesktopBackends:
    """Raises:
    DesktopUnavailableError: the compositor lacks data-control or virtual-keyboard.
    """
    display, runtime = environ["WAYLAND_DISPLAY"], environ.get("XDG_RUNTIME_DIR", "")
    try:
        connection = Connection(display, runtime)
        control = DataControl(connection)
        keyboard = VirtualKeyboard(connection)
    except WaylandError as exc:
        raise DesktopUnavailableError(
            f"{exc} Rephraser needs the wlr-data-control and virtual-keyboard protocols on Wayland (sway offers both)."
        ) from exc
    keeper = _keeper(display, runtime)
    clipboard = WaylandClipboard(control, keeper)
    ipc = SwayIpc(environ["SWAYSOCK"])

    def pump() -> None:  # no arguments: Qt's socket notifier would pass its descriptor
        connection.dispatch()
        clipboard.flush_due()

    def close() -> None:
        control.close()
        connection.close()

    return DesktopBackends(
        hotkeys=SwayHotkeys(ipc, ipc_socket_path()),
        keys=keyboard,
        focus=SwayFocus(ipc),
        clipboard_keeper=keeper,
        event_fd=connection.fileno(),
        pump=pump,
        close=close,
        description="wayland (sway): sway bindings, virtual-keyboard keys, sway IPC focus, data-control clipboard",
        clipboard=clipboard,
        floating_notices=False,
        preview_window=False,
    )


class NoFocusHints:
    """Implements rephraser.core.desktop.ports.FocusPort where the compositor does not say which app has
    the focus: detection then goes by the text alone."""

    def focused_app(self) -> AppInfo:
        return AppInfo()


def kde_backends(environ: Mapping[str, str]) -> DesktopBackends:
    """Raises:
    DesktopUnavailableError: no Wayland connection, no data-control, or no portal on the session bus.
    """
    display, runtime = environ["WAYLAND_DISPLAY"], environ.get("XDG_RUNTIME_DIR", "")
    held = HeldShortcuts()
    try:
        connection = Connection(display, runtime)
        control = DataControl(connection)
    except WaylandError as exc:
        raise DesktopUnavailableError(f"{exc} Rephraser needs KWin's data-control protocol (Plasma 5.27+).") from exc
    problems: tuple[str, ...] = ()
    keys: FakeInputKeys | _NoKeys
    try:
        keys = FakeInputKeys(connection, held)
    except WaylandError:
        keys = _NoKeys()
        problems = (
            "KWin does not let Rephraser type the copy and paste keys yet: run `rephraser shortcut install` "
            "once (it writes the desktop entry that asks KWin for them; no new login needed).",
        )
    try:
        bus = PortalBus(environ)
    except PortalError as exc:
        control.close()
        connection.close()
        raise DesktopUnavailableError(f"{exc} On KDE, Rephraser's hotkeys go through the desktop portal.") from exc
    keeper = _keeper(display, runtime)
    clipboard = WaylandClipboard(control, keeper)

    def pump() -> None:
        connection.dispatch()
        clipboard.flush_due()
        bus.dispatch()

    def close() -> None:
        control.close()
        connection.close()
        bus.close()

    return DesktopBackends(
        hotkeys=PortalHotkeys(bus, held),
        keys=keys,
        focus=NoFocusHints(),
        clipboard_keeper=keeper,
        event_fd=connection.fileno(),
        pump=pump,
        close=close,
        description=(
            "wayland (KDE): GlobalShortcuts portal hotkeys (rebind them in System Settings > Shortcuts), "
            "KWin fake-input keys, data-control clipboard, no app hints"
        ),
        clipboard=clipboard,
        floating_notices=False,
        preview_window=False,
        problems=problems,
        extra_event_fds=(bus.fileno(), bus.wake_fileno()),
    )


GNOME_TOKEN_FILE = "gnome-remote-desktop.token"


def gnome_backends(environ: Mapping[str, str]) -> DesktopBackends:
    """Raises:
    DesktopUnavailableError: no session D-Bus, or its portal lacks RemoteDesktop (version 2) or Clipboard.
    """
    try:
        bus = PortalBus(environ)
    except PortalError as exc:
        raise DesktopUnavailableError(f"{exc} On GNOME, Rephraser works through the desktop portal.") from exc
    ensure_app_entry(Path.home())
    bus.register_app(APP_ID)  # before any other portal call: newer portals decide the app's id by it
    if bus.version(REMOTE_DESKTOP) < 2 or bus.version(CLIPBOARD) < 1:
        bus.close()
        raise DesktopUnavailableError(
            "The desktop portal has no RemoteDesktop and Clipboard interfaces for Rephraser (GNOME 46 or later "
            "with xdg-desktop-portal 1.18 or later has them)."
        )
    session = RemoteDesktopSession(bus, data_dir() / GNOME_TOKEN_FILE)
    held = HeldShortcuts()
    hotkeys: PortalHotkeys | DesktopShortcuts
    problems: tuple[str, ...] = ()
    if gnome_shortcuts_installed():  # the user's `shortcut install`: the portal's would fire twice
        hotkeys, how = DesktopShortcuts(), "GNOME's custom shortcuts (from `rephraser shortcut install`) hotkeys"
    elif bus.version(GLOBAL_SHORTCUTS) >= 1:
        hotkeys, how = PortalHotkeys(bus, held), "GlobalShortcuts portal hotkeys"
    else:
        hotkeys, how = DesktopShortcuts(), "no hotkeys yet (GNOME before 48 has no shortcuts portal)"
        problems = ("GNOME before 48 binds no hotkeys for apps: run `rephraser shortcut install` once.",)
    clipboard = PortalClipboard(session)

    def pump() -> None:  # no arguments: Qt's socket notifier would pass its descriptor
        session.start_once()
        bus.dispatch()
        clipboard.flush_due()

    def close() -> None:
        session.close()
        bus.close()

    return DesktopBackends(
        hotkeys=hotkeys,
        keys=RemoteDesktopKeys(session, held),
        focus=NoFocusHints(),
        clipboard_keeper=None,
        event_fd=bus.fileno(),
        pump=pump,
        close=close,
        description=(
            f"wayland (GNOME): {how}, RemoteDesktop portal keys (GNOME asks once), Clipboard portal, no app hints"
        ),
        clipboard=clipboard,
        floating_notices=False,
        preview_window=False,
        problems=problems,
        extra_event_fds=(bus.wake_fileno(),),
    )


class DesktopShortcuts:
    """HotkeyPort where only the desktop binds keys (GNOME before 48, or after `shortcut install`): its
    shortcuts run `rephraser hotkey NAME`, whose request reaches the tray app's socket; nothing is
    grabbed here."""

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        return []

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        return GrabFailure(name, combo, "GNOME binds no keys for one job: a second press of the hotkey cancels")

    def release(self, name: str) -> None:
        """Nothing was grabbed."""

    def release_all(self) -> None:
        """Nothing was grabbed."""


class _NoKeys:
    """KeyPort when KWin withholds fake input: a press fails with what to do (the job says it once)."""

    def keys_held(self) -> bool:
        return False

    def press(self, combo: KeyCombo) -> None:
        raise KeysRefusedError("KWin does not let Rephraser type keys: run `rephraser shortcut install` once.")


def _keeper(display: str, runtime: str) -> HelperClipboardKeeper:
    return HelperClipboardKeeper(
        "rephraser.platform.wayland.keeper", {"WAYLAND_DISPLAY": display, "XDG_RUNTIME_DIR": runtime}
    )

"""The Wayland back-ends. sway (and other wlroots compositors whose IPC speaks sway's protocol): one Wayland
connection for the clipboard and the keyboard, sway's IPC for bindings and the focused window. KDE Plasma
(KWin): the same data-control clipboard, KWin's fake input for keys, the GlobalShortcuts portal for
hotkeys, and no focused-window hints (KWin tells them to no ordinary client)."""

from __future__ import annotations

from collections.abc import Mapping

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo
from rephraser.platform import DesktopBackends, DesktopUnavailableError
from rephraser.platform.keeper import HelperClipboardKeeper
from rephraser.platform.wayland.clipboard import WaylandClipboard
from rephraser.platform.wayland.data_control import DataControl
from rephraser.platform.wayland.fake_input import FakeInputKeys
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts, PortalHotkeys
from rephraser.platform.wayland.portal_bus import PortalBus, PortalError
from rephraser.platform.wayland.sway import SwayFocus, SwayHotkeys, SwayIpc
from rephraser.platform.wayland.virtual_keyboard import VirtualKeyboard
from rephraser.platform.wayland.wire import Connection, WaylandError

__all__ = ["kde_backends", "sway_backends"]


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
        extra_event_fds=(bus.fileno(),),
    )


class _NoKeys:
    """KeyPort when KWin withholds fake input: a press fails with what to do (the job says it once)."""

    def keys_held(self) -> bool:
        return False

    def press(self, combo: KeyCombo) -> None:
        raise WaylandError("KWin does not let Rephraser type keys: run `rephraser shortcut install` once.")


def _keeper(display: str, runtime: str) -> HelperClipboardKeeper:
    return HelperClipboardKeeper(
        "rephraser.platform.wayland.keeper", {"WAYLAND_DISPLAY": display, "XDG_RUNTIME_DIR": runtime}
    )

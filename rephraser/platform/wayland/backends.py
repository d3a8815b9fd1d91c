"""The Wayland back-ends for sway (and other wlroots compositors whose IPC speaks sway's protocol): one
Wayland connection for the clipboard and the keyboard, sway's IPC for bindings and the focused window."""

from __future__ import annotations

from collections.abc import Mapping

from rephraser.core.config.paths import ipc_socket_path
from rephraser.platform import DesktopBackends, DesktopUnavailableError
from rephraser.platform.keeper import HelperClipboardKeeper
from rephraser.platform.wayland.clipboard import WaylandClipboard
from rephraser.platform.wayland.data_control import DataControl
from rephraser.platform.wayland.sway import SwayFocus, SwayHotkeys, SwayIpc
from rephraser.platform.wayland.virtual_keyboard import VirtualKeyboard
from rephraser.platform.wayland.wire import Connection, WaylandError

__all__ = ["sway_backends"]


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
    keeper = HelperClipboardKeeper(
        "rephraser.platform.wayland.keeper", {"WAYLAND_DISPLAY": display, "XDG_RUNTIME_DIR": runtime}
    )
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

"""The OS capabilities the desktop loop needs, one Protocol each (STYLE.md section 2).

Implementations: rephraser.platform.x11 (libX11 and libXtst) for hotkeys, keys, focus and keeping the clipboard
after quit, and rephraser.desktop.clipboard (Qt) for the clipboard; rephraser.platform.wayland for all of them
under sway; tests/helpers/desktop_fakes.py for tests.
rephraser.platform.select_backends() is the one place that picks them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple, Protocol

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.errors import RephraserError

__all__ = [
    "AppInfo",
    "AutostartPort",
    "ClipboardHandover",
    "ClipboardKeeperPort",
    "ClipboardPort",
    "ClipboardSnapshot",
    "FocusPort",
    "GrabFailure",
    "HotkeyPort",
    "KeyPort",
    "KeysRefusedError",
]


class AppInfo(NamedTuple):
    """The focused application: its class (WM_CLASS class on X11), instance, window title, and which
    window it is (the platform's id; 0 when unknown), so a job can tell whether the focus moved."""

    app_class: str = ""
    instance: str = ""
    title: str = ""
    window: int = 0


class GrabFailure(NamedTuple):
    """A hotkey that could not be registered, why, and the program that holds it ("" when the platform
    cannot tell: X11 does not say whose passive grab is in the way)."""

    name: str
    combo: KeyCombo
    reason: str
    holder: str = ""


class HotkeyPort(Protocol):
    """Global hotkeys that the focused app never sees (swallowed)."""

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        """Register `hotkeys` (name -> combo), replacing earlier ones; `on_press(name)` runs on a press."""
        ...

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        """Register one more hotkey (Esc while a job runs), keeping the others; None when it worked."""
        ...

    def release(self, name: str) -> None:
        """Unregister the hotkey called `name`, keeping the others."""
        ...

    def release_all(self) -> None:
        """Unregister every hotkey (pause, quit)."""
        ...


class KeysRefusedError(RephraserError):
    """The desktop does not let Rephraser type keys yet; the message says what the user must do."""


class KeyPort(Protocol):
    """Synthetic key presses and the state of the physical keys."""

    def keys_held(self) -> bool:
        """True while any key is down. A hotkey's own key counts too: until it is up the hotkey's grab
        is active, and a key sent then would reach Rephraser instead of the app."""
        ...

    def press(self, combo: KeyCombo) -> None:
        """Press and release a combination in the focused window.

        Raises:
            KeysRefusedError: the desktop withholds the keys (the job shows its message as it is).
        """
        ...


class FocusPort(Protocol):
    """Which application has the keyboard focus."""

    def focused_app(self) -> AppInfo: ...


class ClipboardSnapshot(NamedTuple):
    """Every format of a selection's contents, byte for byte (empty: the selection had no owner)."""

    formats: Mapping[str, bytes]

    @property
    def empty(self) -> bool:
        return not self.formats


class ClipboardHandover(NamedTuple):
    """Who keeps the clipboard's contents after the app quits.

    how: "manager" (a clipboard manager saved them), "helper" (a helper process serves them until another
    program takes the clipboard), or "" (nothing was ours to keep, or keeping failed: see `problem`).
    """

    how: str = ""
    pid: int = 0  # the helper process, when one was started
    note: str = ""
    problem: str = ""


class ClipboardKeeperPort(Protocol):
    """Keeps clipboard contents alive after the process exits (X11 selections die with their owner)."""

    def keep(self, formats: Mapping[str, bytes]) -> ClipboardHandover:
        """Hand `formats` (MIME type -> bytes) on to a clipboard manager or a helper; wait with a deadline."""
        ...


class ClipboardPort(Protocol):
    """The CLIPBOARD and PRIMARY selections (`primary=True`)."""

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot: ...

    def text(self, primary: bool = False) -> str: ...

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        """Offer `text`; `on_read()` runs each time another program reads it."""
        ...

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None: ...

    def on_change(self, callback: Callable[[], None] | None) -> None:
        """Call `callback` when another program takes CLIPBOARD (None stops it); our own changes never call it."""
        ...

    def keep_after_exit(self) -> ClipboardHandover:
        """At quit: if this process owns CLIPBOARD, hand its contents on so they outlive the process."""
        ...

    def let_go(self) -> None:
        """At exit, after keep_after_exit: let go of what is still ours and answer pending requests."""
        ...


class AutostartPort(Protocol):
    """Starting the tray app when the user logs in."""

    def enabled(self) -> bool: ...

    def enable(self) -> str:
        """Start at login from now on; where that is set (for the user)."""
        ...

    def disable(self) -> str | None:
        """Stop starting at login; where it was set, None when it was off already."""
        ...

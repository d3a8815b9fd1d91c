"""ClipboardGuard: the user's clipboard goes back once, on whichever way out comes first."""

from __future__ import annotations

import pytest

from rephraser.core.desktop.clipboard_guard import ClipboardGuard
from tests.helpers.desktop_fakes import FakeClipboard

ORIGINAL = {"text/plain": b"mine", "image/png": b"\x89PNG"}


def test_restore_puts_every_format_back_once() -> None:
    clipboard = FakeClipboard(ORIGINAL)
    clipboard.formats[True] = {"text/plain": b"selected"}
    guard = ClipboardGuard(clipboard)
    guard.hold(primary=True)
    clipboard.serve("rewrite", False, lambda: None)
    clipboard.serve("rewrite", True, lambda: None)
    assert (2, None) == (guard.restore(), guard.restore())
    assert (ORIGINAL, {"text/plain": b"selected"}, 2) == (
        clipboard.formats[False],
        clipboard.formats[True],
        clipboard.restores,
    )


def test_nothing_held_restores_nothing() -> None:
    clipboard = FakeClipboard(ORIGINAL)
    assert (None, 0) == (ClipboardGuard(clipboard).restore(), clipboard.restores)


class BrokenClipboard(FakeClipboard):
    def restore(self, snapshot: object, primary: bool = False) -> None:  # type: ignore[override]
        if not primary:
            raise RuntimeError("lost the display")
        super().restore(snapshot, primary)  # type: ignore[arg-type]


def test_primary_goes_back_even_when_the_clipboard_cannot() -> None:
    clipboard = BrokenClipboard(ORIGINAL)
    clipboard.formats[True] = {"text/plain": b"selected"}
    guard = ClipboardGuard(clipboard)
    guard.hold(primary=True)
    clipboard.serve("rewrite", True, lambda: None)
    with pytest.raises(RuntimeError, match="lost the display"):
        guard.restore()
    assert {"text/plain": b"selected"} == clipboard.formats[True]

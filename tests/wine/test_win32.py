"""What the Windows back-ends assume of Win32, checked under Wine: hotkeys (delivery and a taken
combination), clipboard sequence numbers and update messages, an every-format restore, delayed rendering.
The Python back-ends themselves run against a fake of these calls (tests/unit/test_windows_backend.py,
tests/gui/test_windows_loop.py); no test here has run on a real Windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.wine

Run = Callable[[str], dict[str, Any]]


def test_send_input_of_a_registered_combination_brings_wm_hotkey_and_a_second_registration_is_refused(
    win32_checks: Run,
) -> None:
    result = win32_checks("hotkey")
    assert (1, 0, 1409, 6, 7) == (
        result["registered"],
        result["second_registered"],
        result["second_error"],  # ERROR_HOTKEY_ALREADY_REGISTERED: WindowsHotkeys says another program has it
        result["sent"],
        result["hotkey_id"],
    )


def test_changes_move_the_sequence_number_and_a_listener_hears_another_process_once(win32_checks: Run) -> None:
    assert {
        "moved_by_own_change": 1,
        "listening": 1,
        "updates_for_other_change": 1,
        "moved_by_other_change": 1,
    } == win32_checks("sequence")


def test_five_formats_snapshotted_and_put_back_are_byte_identical(win32_checks: Run) -> None:
    result = win32_checks("formats")
    assert (5, "") == (result["same_after_restore"], result["differing"])
    assert result["saved_formats"] >= 5  # with the ones Windows synthesizes (CF_TEXT from CF_UNICODETEXT...)


def test_delayed_rendering_renders_once_for_another_process_and_it_reads_the_text(win32_checks: Run) -> None:
    assert {"renders_before_read": 0, "renders_after_reads": 1, "reader_exit": 0} == win32_checks("delayed")

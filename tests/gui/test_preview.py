"""The preview before paste: the window's keys and states, and the job that waits for it (fake ports)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rephraser.composition import Core, build_core
from rephraser.core.desktop.apps import CTRL_C, CTRL_V
from rephraser.core.desktop.ports import AppInfo
from rephraser.core.desktop.preview import PreviewChoices, PreviewOption
from rephraser.core.rewrite import RewriteRequest, RewriteResult
from rephraser.core.targets import Target
from rephraser.desktop.preview import EDITED, PreviewWindow, diff_html
from tests.gui.test_job import ORIGINAL, Rig

# The offscreen platform has no keyboard grab (the window then falls back to the mouse, and says so), and
# no window stacking or size hints for a window manager.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (grabbing the keyboard|raise|propagateSizeHints)")

EDITOR = AppInfo("Mousepad", "mousepad", "notes.txt", window=7)
CHOICES = PreviewChoices(
    "tips for sleep",
    (
        PreviewOption(
            "Model rewrite", "Give 5 tips for better sleep for [audience], under [word count] words.", "model"
        ),
        PreviewOption("Offline rewrite", "Task:\ntips for sleep", "offline"),
    ),
    "chat",
    "chat-claude",
    ("invented-numbers",),
)


class Decisions:
    def __init__(self) -> None:
        self.pasted: list[tuple[str, int]] = []
        self.cancels = 0

    def paste(self, text: str, index: int) -> None:
        self.pasted.append((text, index))

    def cancel(self) -> None:
        self.cancels += 1


@pytest.fixture
def window(qtbot: QtBot) -> PreviewWindow:
    preview = PreviewWindow()
    qtbot.addWidget(preview)
    return preview


def offer(window: PreviewWindow, choices: PreviewChoices = CHOICES) -> Decisions:
    decisions = Decisions()
    window.offer(choices, decisions.paste, decisions.cancel)
    return decisions


def test_enter_pastes_the_first_option_and_hides_the_window(qtbot: QtBot, window: PreviewWindow) -> None:
    decisions = offer(window)
    assert window.isVisible()
    assert "Model rewrite · chat · chat-claude" == window.header.text()
    assert "Checks: invented-numbers" == window.checks.text()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert ([(CHOICES.options[0].text, 0)], 0, False) == (decisions.pasted, decisions.cancels, window.isVisible())


def test_tab_switches_to_the_other_rewrite_and_back(qtbot: QtBot, window: PreviewWindow) -> None:
    decisions = offer(window)
    assert (
        "Enter pastes · Esc cancels · Tab: offline rewrite · E edits and fills the [placeholders]" == window.hint.text()
    )
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    assert (1, "Offline rewrite · chat · chat-claude") == (window.option_index, window.header.text())
    assert "Task:\ntips for sleep" == window.current_text
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert [("Task:\ntips for sleep", 1)] == decisions.pasted


def test_esc_cancels(qtbot: QtBot, window: PreviewWindow) -> None:
    decisions = offer(window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert ([], 1, False) == (decisions.pasted, decisions.cancels, window.isVisible())


def test_e_edits_with_a_field_per_placeholder_and_ctrl_enter_pastes_the_filled_edit(
    qtbot: QtBot, window: PreviewWindow
) -> None:
    decisions = offer(window)
    qtbot.keyClick(window, Qt.Key.Key_E)
    assert window.editing
    edits = [edit for edit in window.fields.children() if edit.metaObject().className() == "QLineEdit"]
    assert 2 == len(edits)
    qtbot.keyClicks(edits[0], "night-shift nurses")  # [word count] stays empty: kept as written
    qtbot.keyClick(window.editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.editor, " Be kind.")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [
        ("Give 5 tips for better sleep for night-shift nurses, under [word count] words. Be kind.", EDITED)
    ] == decisions.pasted


def test_esc_in_the_editor_cancels_and_enter_in_a_field_pastes(qtbot: QtBot, window: PreviewWindow) -> None:
    decisions = offer(window)
    qtbot.keyClick(window, Qt.Key.Key_E)
    qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
    assert 1 == decisions.cancels
    decisions = offer(window)
    qtbot.keyClick(window, Qt.Key.Key_E)
    edits = [edit for edit in window.fields.children() if edit.metaObject().className() == "QLineEdit"]
    qtbot.keyClicks(edits[1], "200")
    qtbot.keyClick(edits[1], Qt.Key.Key_Return)
    assert [("Give 5 tips for better sleep for [audience], under 200 words.", EDITED)] == decisions.pasted


def test_without_fill_placeholders_the_editor_has_no_fields(qtbot: QtBot, window: PreviewWindow) -> None:
    offer(window, CHOICES._replace(fill_placeholders=False))
    qtbot.keyClick(window, Qt.Key.Key_E)
    assert (True, False) == (window.editing, window.fields.isVisibleTo(window))


def test_the_mouse_works_too(qtbot: QtBot, window: PreviewWindow) -> None:
    decisions = offer(window)
    qtbot.mouseClick(window.buttons["switch"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.buttons["paste"], Qt.MouseButton.LeftButton)
    assert [("Task:\ntips for sleep", 1)] == decisions.pasted
    decisions = offer(window)
    qtbot.mouseClick(window.buttons["cancel"], Qt.MouseButton.LeftButton)
    assert 1 == decisions.cancels


def test_one_option_has_no_switch_and_keys_before_the_offer_do_nothing(qtbot: QtBot, window: PreviewWindow) -> None:
    window.show_status("Reading your selection...")
    qtbot.keyClick(window, Qt.Key.Key_Return)  # nothing offered yet: no paste to make
    decisions = offer(window, CHOICES._replace(options=CHOICES.options[1:]))
    assert not window.buttons["switch"].isVisibleTo(window)
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    assert 0 == window.option_index
    assert "Enter pastes · Esc cancels · E edits" == window.hint.text()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert [("Task:\ntips for sleep", 0)] == decisions.pasted


def test_streamed_text_shows_as_it_comes(window: PreviewWindow) -> None:
    window.show_status("Asking the model...")
    window.show_streaming("Give 5 tips")
    assert ("The model is writing...", "Give 5 tips", True) == (
        window.header.text(),
        window.view.toPlainText(),
        window.isVisible(),
    )


def test_the_diff_tints_added_words_and_strikes_removed_ones(window: PreviewWindow) -> None:
    page = diff_html("fix bug <now>", "Fix the bug <now>", window.palette())
    assert "<s " in page and ">fix</s>" in page
    assert '">Fix the</span>' in page and "&lt;now&gt;" in page


# -- the job with the preview ---------------------------------------------------------------------


class StreamingModel:
    """A model rewrite that streams its text in two pieces; `stopped` gives the judge's fallback instead."""

    def __init__(self, text: str = "Give 5 tips for better sleep.", stopped: bool = False) -> None:
        self.text, self.stopped = text, stopped
        self.streamed = threading.Event()

    def __call__(self, request: RewriteRequest, on_delta: Callable[[str], None], token: object) -> RewriteResult:
        on_delta(self.text[:8])
        on_delta(self.text[8:])
        self.streamed.set()
        if self.stopped:
            return RewriteResult(
                "OFFLINE", Target.CHAT, "chat", "offline", "en", "t", why="it answered", rejected=self.text
            )
        return RewriteResult(self.text, Target.CHAT, "chat", "model", "en", "test")


@pytest.fixture
def core(config_dir: Path) -> Core:
    return build_core(config_dir)


def preview_rig(core: Core, window: PreviewWindow, model: object = None, preview: str = "model", **app: object) -> Rig:
    settings = core.config.settings._replace(preview=preview)
    rig = Rig(
        core._replace(config=core.config._replace(settings=settings)), EDITOR, "tips for sleep", model=model, **app
    )
    rig.controller.preview = lambda: window
    return rig


def logged(rig: Rig, name: str) -> list[dict[str, object]]:
    return [event for line in rig.stream.getvalue().splitlines() if (event := json.loads(line))["event"] == name]


def test_a_model_rewrite_waits_in_the_preview_and_enter_pastes_it(
    qtbot: QtBot, core: Core, window: PreviewWindow
) -> None:
    rig = preview_rig(core, window, StreamingModel())
    replaced: list[object] = []
    rig.controller.replaced.connect(replaced.append)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    assert ([CTRL_C], "tips for sleep") == (rig.keys.pressed, rig.app.text)
    assert "Give 5 tips for better sleep." == window.current_text
    assert 1 == len(logged(rig, "preview-text"))
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert ("Give 5 tips for better sleep.", ORIGINAL, [CTRL_C, CTRL_V]) == (
        rig.app.text,
        rig.clipboard.formats[False],
        rig.keys.pressed,
    )
    assert ("Give 5 tips for better sleep.", "model") == (replaced[0].rewrite, replaced[0].mode)  # type: ignore[attr-defined]
    events = rig.events()
    assert events.index("preview-shown") < events.index("keys-up") < events.index("previewing") < events.index("chosen")


def test_tab_pastes_the_offline_rewrite_made_beside_the_models(qtbot: QtBot, core: Core, window: PreviewWindow) -> None:
    rig = preview_rig(core, window, StreamingModel())
    replaced: list[object] = []
    rig.controller.replaced.connect(replaced.append)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    want = rig.offline("tips for sleep", target="chat")
    assert (want, "offline") == (rig.app.text, replaced[0].mode)  # type: ignore[attr-defined]


def test_a_stopped_model_rewrite_can_still_be_chosen_with_tab(qtbot: QtBot, core: Core, window: PreviewWindow) -> None:
    rig = preview_rig(core, window, StreamingModel(stopped=True))
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    assert ("OFFLINE", "it answered") == (window.current_text, window.checks.text())
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    assert "The judge stopped it: it answered" == window.checks.text()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert "Give 5 tips for better sleep." == rig.app.text
    assert [] == rig.notices  # the preview said why; no balloon on top


def test_esc_in_the_preview_leaves_text_and_clipboard_as_they_were(
    qtbot: QtBot, core: Core, window: PreviewWindow
) -> None:
    rig = preview_rig(core, window, StreamingModel())
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: rig.outcomes == ["cancelled"], timeout=10_000)
    assert ("tips for sleep", ORIGINAL, [CTRL_C], False) == (
        rig.app.text,
        rig.clipboard.formats[False],
        rig.keys.pressed,
        window.isVisible(),
    )
    assert {"main"} == set(rig.hotkeys.grabbed)  # Esc's grab went with the job


def test_the_hotkey_again_cancels_a_waiting_preview(qtbot: QtBot, core: Core, window: PreviewWindow) -> None:
    rig = preview_rig(core, window, StreamingModel())
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    rig.hotkeys.press("cancel")  # Esc's grab: the path when the preview could not take the keyboard
    qtbot.waitUntil(lambda: rig.outcomes == ["cancelled"], timeout=10_000)
    assert ("tips for sleep", False) == (rig.app.text, window.isVisible())


def test_when_the_focus_moved_the_choice_goes_to_the_clipboard(qtbot: QtBot, core: Core, window: PreviewWindow) -> None:
    rig = preview_rig(core, window, StreamingModel())
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    rig.focus.app = EDITOR._replace(window=8)  # the user clicked another window meanwhile
    qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rig.outcomes == ["copied"], timeout=10_000)
    assert ("tips for sleep", b"Give 5 tips for better sleep.") == (
        rig.app.text,
        rig.clipboard.formats[False]["text/plain"],
    )
    assert rig.notices[-1].startswith("The window you selected the text in no longer has the focus")


def test_offline_rewrites_paste_at_once_unless_preview_is_always(
    qtbot: QtBot, core: Core, window: PreviewWindow
) -> None:
    rig = preview_rig(core, window)
    rig.pastes_the_rewrite(qtbot, "tips for sleep")
    assert ([], False) == (logged(rig, "preview-shown"), window.isVisible())
    rig = preview_rig(core, window, preview="always")
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: bool(logged(rig, "previewing")), timeout=10_000)
    assert ("Offline rewrite · chat · chat", rig.offline("tips for sleep")) == (
        window.header.text(),
        window.current_text,
    )
    qtbot.keyClick(window, Qt.Key.Key_E)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert rig.offline("tips for sleep") == rig.app.text


def test_preview_never_is_the_plain_loop(qtbot: QtBot, core: Core, window: PreviewWindow) -> None:
    rig = preview_rig(core, window, StreamingModel(), preview="never")
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert "Give 5 tips for better sleep." == rig.app.text
    assert ["hotkey", "keys-up", "captured", "rewritten", "pasted", "read", "restored"] == rig.events()
    assert not window.isVisible()


def test_tab_in_the_editor_moves_between_the_placeholder_fields(qtbot: QtBot, window: PreviewWindow) -> None:
    offer(window)
    qtbot.keyClick(window, Qt.Key.Key_E)
    edits = [edit for edit in window.fields.children() if edit.metaObject().className() == "QLineEdit"]
    assert edits[0] is window.focusWidget()
    qtbot.keyClick(edits[0], Qt.Key.Key_Tab)
    assert edits[1] is window.focusWidget()

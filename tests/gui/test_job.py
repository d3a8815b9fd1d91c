"""The rewrite job and the controller with fake ports: every path ends with the text and clipboard right."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from rephraser.composition import Core, build_core
from rephraser.core.desktop.apps import CTRL_C, CTRL_SHIFT_V, CTRL_U, CTRL_V, SHIFT_INSERT
from rephraser.core.desktop.ports import AppInfo
from rephraser.core.errors import AuthenticationError, ConfigError
from rephraser.core.rewrite import RewriteRequest, RewriteResult
from rephraser.core.targets import Target
from rephraser.desktop.controller import Controller, Ports
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.job import Timing
from tests.helpers.desktop_fakes import FakeClipboard, FakeFocus, FakeHotkeys, FakeKeys, FakeTargetApp, SlowModel

ORIGINAL = {"text/plain": b"user's clipboard", "text/html": b"<b>user's</b>", "image/png": b"\x89PNG\r\n\x1a\n\x00\x01"}
EDITOR = AppInfo("Mousepad", "mousepad", "notes.txt")
XTERM = AppInfo("XTerm", "xterm", "bash")
FAST = Timing(keys_poll=1, copy_deadline=200, restore_quiet=20, restore_deadline=300)


class Rig:
    """A controller over fakes, a fake editor holding `text`, and the JSON event log."""

    def __init__(
        self,
        core: Core,
        app: AppInfo,
        text: str,
        *,
        model: object = None,
        factory: object = None,
        timing: Timing = FAST,
        **target_app: object,
    ) -> None:
        self.core = core
        self.clipboard = FakeClipboard(ORIGINAL)
        self.keys = FakeKeys(held_polls=int(target_app.pop("held_polls", 0)))  # type: ignore[call-overload]
        self.focus = FakeFocus(app)
        self.hotkeys = FakeHotkeys(
            frozenset(target_app.pop("taken", frozenset())),  # type: ignore[arg-type]
            str(target_app.pop("holder", "")),
        )
        self.app = FakeTargetApp(self.clipboard, self.keys, text, **target_app)  # type: ignore[arg-type]
        self.stream = io.StringIO()
        self.notices: list[str] = []
        self.outcomes: list[str] = []
        settings = core.config.settings._replace(mode="model" if model or factory else "offline")
        self.controller = Controller(
            settings,
            Ports(self.hotkeys, self.keys, self.focus, self.clipboard),
            core.rewriter.offline,
            factory or (lambda: model),  # type: ignore[arg-type, return-value]
            EventLog(json_lines=True, stream=self.stream),
            timing,
        )
        self.controller.notice.connect(self.notices.append)
        self.controller.job_finished.connect(self.outcomes.append)
        self.grab_notices = self.controller.grab_hotkeys()

    def events(self) -> list[str]:
        return [json.loads(line)["event"] for line in self.stream.getvalue().splitlines()]

    def pastes_the_rewrite(self, qtbot: QtBot, text: str) -> None:
        """Press the hotkey: the job ends pasted, the app holds the offline rewrite of `text`, and the
        clipboard is the user's again."""
        self.hotkeys.press("main")
        qtbot.waitUntil(lambda: self.outcomes != [], timeout=10_000)
        assert ["pasted"] == self.outcomes
        assert self.offline(text) == self.app.text
        assert ORIGINAL == self.clipboard.formats[False]

    def offline(self, text: str, target: str = "auto") -> str:
        return self.core.rewriter.offline(RewriteRequest(text, target=target, app_class=self.focus.app.app_class)).text


@pytest.fixture
def core(config_dir: Path) -> Core:
    return build_core(config_dir)


def test_selection_is_replaced_and_the_clipboard_restored(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert rig.offline("cat astronaut moon cool") == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]
    assert [CTRL_C, CTRL_V] == rig.keys.pressed
    assert ["hotkey", "keys-up", "captured", "rewritten", "pasted", "read", "restored"] == rig.events()
    assert [] == rig.notices


def test_held_modifiers_delay_the_copy_and_still_give_one_rewrite(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "python func dedupe list keep order fast", held_polls=60)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert [] == rig.keys.pressed_while_held
    assert [CTRL_C, CTRL_V] == rig.keys.pressed
    assert rig.offline("python func dedupe list keep order fast") == rig.app.text


def test_terminal_uses_primary_clears_the_line_and_pastes_with_shift_insert(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, XTERM, "git undo last commit keep changes")
    rig.clipboard.formats[True] = {"text/plain": b"git undo last commit keep changes"}
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert [CTRL_U, SHIFT_INSERT] == rig.keys.pressed  # never Ctrl+C: it would interrupt the shell
    assert rig.offline("git undo last commit keep changes") == rig.app.text
    assert {"text/plain": b"git undo last commit keep changes"} == rig.clipboard.formats[True]
    assert ORIGINAL == rig.clipboard.formats[False]


def test_other_terminals_paste_with_ctrl_shift_v(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, AppInfo("kitty", "kitty"), "list big files")
    rig.clipboard.formats[True] = {"text/plain": b"list big files"}
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert [CTRL_U, CTRL_SHIFT_V] == rig.keys.pressed


def test_nothing_selected_pastes_nothing(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "some text", selected=False)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["nothing-selected"], timeout=10_000)
    assert "some text" == rig.app.text
    assert [CTRL_C, CTRL_C] == rig.keys.pressed  # asked twice before concluding
    assert ORIGINAL == rig.clipboard.formats[False]
    assert ["Nothing is selected: select the text to rewrite, then press the hotkey."] == rig.notices


def test_a_dropped_ctrl_c_is_sent_again(qtbot: QtBot, core: Core) -> None:
    # A busy machine: the app is still settling its focus after the hotkey's grab and loses the first key.
    rig = Rig(core, EDITOR, "cat astronaut moon cool", drops_keys=1)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert ["pasted"] == rig.outcomes
    assert rig.offline("cat astronaut moon cool") == rig.app.text
    assert [CTRL_C, CTRL_C, CTRL_V] == rig.keys.pressed


def test_app_that_never_reads_the_paste(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "hello there", reads_paste=False)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=10_000)
    assert "hello there" == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]
    assert ["The app did not take the pasted text; your text and clipboard are unchanged."] == rig.notices


def test_reads_twice_like_chromium_restore_after_the_last(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, AppInfo("Chromium", "chromium"), "explain quantum tunneling", reads=2)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert ORIGINAL == rig.clipboard.formats[False]
    restored = [json.loads(line) for line in rig.stream.getvalue().splitlines() if '"restored"' in line]
    assert 2 == restored[0]["reads"]


def test_second_hotkey_press_cancels_a_running_model_rewrite(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    assert "cancel" in rig.hotkeys.grabbed  # Esc is grabbed while a job runs
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["cancelled"], timeout=10_000)
    model.release.set()
    qtbot.wait(100)
    assert "hello there" == rig.app.text
    assert [CTRL_C] == rig.keys.pressed  # nothing pasted
    assert ORIGINAL == rig.clipboard.formats[False]
    assert "cancel" not in rig.hotkeys.grabbed
    assert "cancelled" in rig.events()


def test_escape_cancels_too(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    rig.hotkeys.press("cancel")
    qtbot.waitUntil(lambda: rig.outcomes == ["cancelled"], timeout=10_000)
    model.release.set()
    assert ORIGINAL == rig.clipboard.formats[False]


def test_model_failure_keeps_text_and_clipboard_and_says_why(qtbot: QtBot, core: Core) -> None:
    model = SlowModel(AuthenticationError("Anthropic rejected the API key (HTTP 401)."))
    model.release.set()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=10_000)
    assert "hello there" == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]
    assert ["Anthropic rejected the API key (HTTP 401)."] == rig.notices


def test_a_crash_inside_a_port_is_one_notice_and_a_restore(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "hello there")
    rig.focus.error = RuntimeError("X connection lost")
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=10_000)
    assert "hello there" == rig.app.text
    assert ["Rewrite failed (RuntimeError: X connection lost); your text and clipboard are unchanged."] == rig.notices


def test_a_trigger_while_running_is_refused(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    assert rig.controller.handle_command({"command": "trigger"}) == {"ok": True, "error": ""}
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    assert {"ok": False, "error": "a rewrite is already running"} == rig.controller.handle_command(
        {"command": "trigger"}
    )
    model.release.set()
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert "MODEL REWRITE" == rig.app.text


def test_our_own_keys_never_trigger_a_job(qtbot: QtBot, core: Core, config_dir: Path) -> None:
    core.config_store.set("hotkey", "Ctrl+V")  # a hotkey that our own paste key would press
    rig = Rig(build_core(config_dir), EDITOR, "hello there")

    def app_and_grab(combo: object) -> None:
        rig.app.key(combo)  # type: ignore[arg-type]
        if combo == CTRL_V:
            rig.hotkeys.press("main")  # the X server reports our synthetic Ctrl+V as the grabbed hotkey

    rig.keys.on_press = app_and_grab
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    qtbot.wait(50)
    assert ["pasted"] == rig.outcomes
    assert 1 == rig.events().count("hotkey")


def test_per_target_hotkey_forces_its_target(qtbot: QtBot, core: Core, config_dir: Path) -> None:
    core.config_store.set("hotkey_code", "Ctrl+Alt+C")
    rig = Rig(build_core(config_dir), EDITOR, "cat astronaut moon cool")
    assert {"main", "code"} == set(rig.hotkeys.grabbed)
    rig.hotkeys.press("code")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert rig.offline("cat astronaut moon cool", "code") == rig.app.text


def test_taken_hotkey_is_reported_with_the_setting_to_change(core: Core) -> None:
    rig = Rig(core, EDITOR, "x", taken=frozenset({"Ctrl+Alt+R"}))
    assert [
        "Rephraser cannot use the hotkey Ctrl+Alt+R (hotkey: another program already uses it). "
        "Choose another with `rephraser config set hotkey KEYS`."
    ] == rig.grab_notices


def test_every_taken_hotkey_is_in_one_notice_with_its_holder(core: Core, config_dir: Path) -> None:
    core.config_store.set("hotkey_code", "Ctrl+Alt+C")
    rig = Rig(build_core(config_dir), EDITOR, "x", taken=frozenset({"Ctrl+Alt+R", "Ctrl+Alt+C"}), holder="xbindkeys")
    assert [
        "Rephraser cannot use these hotkeys: Ctrl+Alt+R (hotkey: xbindkeys holds it), "
        "Ctrl+Alt+C (hotkey_code: xbindkeys holds it). Choose others with `rephraser config set SETTING KEYS`."
    ] == rig.grab_notices


def test_hotkeys_are_grabbed_once_and_esc_only_for_a_job(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    assert (1, {"main", "cancel"}) == (rig.hotkeys.grabs, set(rig.hotkeys.grabbed))
    model.release.set()
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert (1, {"main"}) == (rig.hotkeys.grabs, set(rig.hotkeys.grabbed))
    rig.controller.reconfigure(rig.core.config.settings, rig.core.rewriter.offline, lambda: model)  # type: ignore[arg-type, return-value]
    assert 1 == rig.hotkeys.grabs  # saved settings with the same hotkeys: no new grab


def test_changed_hotkeys_are_grabbed_again_keeping_esc_during_a_job(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    changed = core.config.settings._replace(hotkey="Ctrl+Alt+P", mode="model")
    assert [] == rig.controller.reconfigure(changed, core.rewriter.offline, lambda: model)  # type: ignore[arg-type, return-value]
    assert (2, {"main", "cancel"}) == (rig.hotkeys.grabs, set(rig.hotkeys.grabbed))
    rig.hotkeys.press("cancel")
    qtbot.waitUntil(lambda: rig.outcomes == ["cancelled"], timeout=10_000)
    model.release.set()
    assert {"main"} == set(rig.hotkeys.grabbed)


def test_pause_releases_and_resume_regrabs(core: Core) -> None:
    rig = Rig(core, EDITOR, "x")
    rig.controller.set_paused(True)
    assert {} == rig.hotkeys.grabbed
    rig.controller.set_paused(False)
    assert {"main"} == set(rig.hotkeys.grabbed)


def test_quitting_mid_paste_restores_the_clipboard_before_it_is_handed_on(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "hello there", reads_paste=False)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: "pasted" in rig.events(), timeout=10_000)
    rig.controller.shutdown()  # what quit does first: the user's clipboard, not the rewrite, is kept
    assert ["cancelled"] == rig.outcomes
    assert ORIGINAL == rig.clipboard.formats[False]


def test_quitting_during_a_model_rewrite_cancels_it_and_restores(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    rig.controller.shutdown()
    model.release.set()
    assert ["cancelled"] == rig.outcomes
    assert "hello there" == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]


def test_a_slow_app_reading_twice_still_gets_the_rewrite(qtbot: QtBot, core: Core) -> None:
    # Chromium on a busy machine: 60 ms before each of its two reads, past FAST's 20 ms quiet period.
    app = AppInfo("Chromium", "chromium")
    rig = Rig(core, app, "explain quantum tunneling", reads=2, read_delays_ms=(60, 60), later=QTimer.singleShot)
    rig.pastes_the_rewrite(qtbot, "explain quantum tunneling")


def test_an_app_known_to_read_once_is_restored_after_that_read(qtbot: QtBot, core: Core) -> None:
    # A quiet period longer than the wait below: only the known count of reads can end the job in time.
    rig = Rig(core, EDITOR, "hello there", timing=FAST._replace(restore_quiet=60_000, restore_deadline=120_000))
    rig.pastes_the_rewrite(qtbot, "hello there")


def test_chromium_far_apart_reads_are_both_served_with_no_quiet_period(qtbot: QtBot, core: Core) -> None:
    # Chromium reads twice; the second read (the one that inserts) 200 ms after the first still gets the
    # rewrite although the quiet period is 1 ms: the job waits for Chromium's second read.
    app = AppInfo("Chromium", "chromium")
    rig = Rig(
        core,
        app,
        "explain quantum tunneling",
        reads=2,
        read_delays_ms=(0, 200),
        later=QTimer.singleShot,
        timing=FAST._replace(restore_quiet=1),
    )
    rig.pastes_the_rewrite(qtbot, "explain quantum tunneling")


def test_reads_far_apart_in_an_app_of_unknown_habits_both_get_the_rewrite(qtbot: QtBot, core: Core) -> None:
    # The first read comes at once, the one that inserts 65 ms later: the real quiet period waits for it.
    app = AppInfo("Someeditor", "someeditor")
    rig = Rig(
        core,
        app,
        "explain quantum tunneling",
        reads=2,
        read_delays_ms=(0, 65),
        later=QTimer.singleShot,
        timing=Timing(),
    )
    rig.pastes_the_rewrite(qtbot, "explain quantum tunneling")


@pytest.mark.parametrize("crash", ["serve", "paste key"])
def test_a_crash_inside_a_job_restores_the_clipboard_and_the_next_job_works(
    qtbot: QtBot, core: Core, crash: str
) -> None:
    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    if crash == "serve":
        rig.clipboard.serve_error = RuntimeError("the clipboard went away")
    else:
        rig.keys.press_error = (CTRL_V, RuntimeError("the clipboard went away"))
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=10_000)
    assert ORIGINAL == rig.clipboard.formats[False]
    assert "cat astronaut moon cool" == rig.app.text
    assert ["Rewrite failed (RuntimeError: the clipboard went away); your text and clipboard are unchanged."] == (
        rig.notices
    )
    rig.app.selected = True
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: len(rig.outcomes) == 2, timeout=10_000)
    assert ["error", "pasted"] == rig.outcomes
    assert rig.offline("cat astronaut moon cool") == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]


def test_a_crash_in_the_model_worker_restores_the_clipboard_and_says_so_once(qtbot: QtBot, core: Core) -> None:
    model = SlowModel(KeyError("choices"))  # a bug, not a RephraserError
    model.release.set()
    rig = Rig(core, EDITOR, "hello there", model=model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=10_000)
    assert ORIGINAL == rig.clipboard.formats[False]
    assert "hello there" == rig.app.text
    assert ["Rewrite failed (KeyError); your text and clipboard are unchanged."] == rig.notices
    assert {"main"} == set(rig.hotkeys.grabbed)


def test_a_model_path_that_cannot_be_built_gives_the_offline_rewrite_and_says_why(qtbot: QtBot, core: Core) -> None:
    def no_model() -> object:
        raise ConfigError("No model is set: choose one in the settings.")

    rig = Rig(core, EDITOR, "tips for sleep", factory=no_model)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert rig.offline("tips for sleep") == rig.app.text
    assert ["No model is set: choose one in the settings."] == rig.notices


def test_a_step_may_only_go_where_the_table_allows(core: Core) -> None:
    from rephraser.desktop.job_parts import NEXT_STEPS, Step

    assert [Step.NEW, Step.WAITING_FOR_KEYS, Step.CAPTURING, Step.REWRITING, Step.PREVIEWING, Step.PASTING] == [
        step for step in Step if step is Step.NEW or any(step in nexts for nexts in NEXT_STEPS.values())
    ]
    assert frozenset() == NEXT_STEPS[Step.PASTING] == NEXT_STEPS[Step.DONE]


def test_a_spinning_user_template_never_freezes_the_gui_thread(qtbot: QtBot, config_dir: Path) -> None:
    templates = config_dir / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "chat.j2").write_text(
        '{% extends "builtin/chat.j2" %}{% block offline %}'
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    rig = Rig(build_core(config_dir), EDITOR, "tell me about your week")
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(len(rig.events())))
    timer.start(20)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["error"], timeout=30_000)
    timer.stop()
    # While the template spun (after "captured", before the job ended) the GUI thread kept running timers.
    spinning = rig.events().index("captured") + 1  # the events logged while the template spun
    assert sum(1 for count in ticks if count == spinning) >= 3, ticks
    assert "tell me about your week" == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]
    assert 1 == len(rig.notices)


def test_a_pasted_rewrite_goes_into_the_history_and_a_damaged_file_costs_one_notice(
    qtbot: QtBot, core: Core, config_dir: Path
) -> None:
    from rephraser.core.history import HistoryEntry
    from rephraser.desktop.history_recorder import HistoryRecorder

    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    replaced: list[HistoryEntry] = []
    rig.controller.replaced.connect(replaced.append)
    recorder = HistoryRecorder(core.config.settings, rig.notices.append, EventLog(json_lines=True, stream=rig.stream))
    rig.controller.replaced.connect(recorder.record)
    rig.pastes_the_rewrite(qtbot, "cat astronaut moon cool")
    rewrite = rig.offline("cat astronaut moon cool")
    assert [HistoryEntry("cat astronaut moon cool", rewrite, "image", "image", "offline", "Mousepad")] == replaced
    assert "recorded" == rig.events()[-1]
    recorder.close()
    history_file = config_dir / "data" / "history.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(f"{history_file}{suffix}").unlink(missing_ok=True)
    history_file.write_bytes(b"\x00not a database" * 300)
    for _ in range(2):
        rig.outcomes.clear()
        rig.app.text, rig.app.selected = "cat astronaut moon cool", True
        rig.pastes_the_rewrite(qtbot, "cat astronaut moon cool")
    damaged = [n for n in rig.notices if "damaged" in n]
    assert 1 == len(damaged)
    assert damaged[0].endswith("Your rewrite was pasted; it is not in the history.")


def test_nothing_selected_or_cancelled_leaves_the_history_alone(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "")
    replaced: list[object] = []
    rig.controller.replaced.connect(replaced.append)
    rig.hotkeys.press("main")
    qtbot.waitUntil(lambda: rig.outcomes == ["nothing-selected"], timeout=10_000)
    assert [] == replaced


def test_revert_puts_the_original_back_over_the_rewrite_and_is_no_new_history(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    replaced: list[object] = []
    rig.controller.replaced.connect(replaced.append)
    rig.pastes_the_rewrite(qtbot, "cat astronaut moon cool")
    rig.outcomes.clear()
    rig.app.selected = True  # the user selects the rewrite again
    assert True is rig.controller.revert()
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert "cat astronaut moon cool" == rig.app.text
    assert ORIGINAL == rig.clipboard.formats[False]
    assert (1, []) == (len(replaced), rig.notices)


def test_revert_copies_the_original_and_says_so_when_the_rewrite_is_not_selected(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    rig.pastes_the_rewrite(qtbot, "cat astronaut moon cool")
    for selection in ("a different text", ""):
        rig.outcomes.clear()
        rig.notices.clear()
        rig.clipboard.formats[False] = dict(ORIGINAL)
        rig.app.text, rig.app.selected = selection, bool(selection)
        assert True is rig.controller.revert()
        qtbot.waitUntil(lambda: rig.outcomes == ["copied"], timeout=10_000)
        assert selection == rig.app.text
        assert {"text/plain": b"cat astronaut moon cool"} == rig.clipboard.formats[False]
        assert [
            "The last rewrite is not selected here, so its original is on the clipboard instead: paste it where "
            "you want it."
        ] == rig.notices


def test_revert_before_any_rewrite_says_there_is_none(core: Core) -> None:
    rig = Rig(core, EDITOR, "cat astronaut moon cool")
    assert False is rig.controller.revert()
    assert ["There is no rewrite to revert yet."] == rig.notices
    assert [] == rig.keys.pressed


def test_the_revert_hotkey_is_grabbed_and_reverts(qtbot: QtBot, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('hotkey_revert = "Ctrl+Alt+Z"\n', encoding="utf-8")
    rig = Rig(build_core(config_dir), EDITOR, "cat astronaut moon cool")
    assert "revert" in rig.hotkeys.grabbed
    rig.pastes_the_rewrite(qtbot, "cat astronaut moon cool")
    rig.outcomes.clear()
    rig.app.selected = True
    rig.hotkeys.press("revert")
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert "cat astronaut moon cool" == rig.app.text


def test_turning_history_off_deletes_it_and_on_again_starts_a_new_one(core: Core, config_dir: Path) -> None:
    from rephraser.core.history import HistoryEntry
    from rephraser.desktop.history_recorder import HistoryRecorder

    notices: list[str] = []
    stream = io.StringIO()
    recorder = HistoryRecorder(core.config.settings, notices.append, EventLog(json_lines=True, stream=stream))
    entry = HistoryEntry("a fox", "Subject: a fox", "image", "image", "offline", "Mousepad")
    recorder.record(entry)
    assert [entry._replace(id=1)] == [e._replace(time=0.0) for e in recorder.recent(5)]
    recorder.reconfigure(core.config.settings._replace(history=False))
    assert [] == list((config_dir / "data").iterdir())
    recorder.record(entry)
    assert ([], None) == (recorder.recent(5), recorder.latest())
    recorder.reconfigure(core.config.settings)
    recorder.record(entry)
    latest = recorder.latest()
    assert (1, []) == (latest.id if latest is not None else 0, notices)


PNG = b"\x89PNG\r\n\x1a\n\x00\x01"  # what ORIGINAL holds: the job hands these bytes on untouched


def test_image_to_prompt_sends_the_clipboards_image_and_pastes_the_prompt_at_the_cursor(
    qtbot: QtBot, core: Core
) -> None:
    seen: list[bytes] = []

    def describe(image: bytes, on_delta: object, token: object) -> RewriteResult:
        seen.append(image)
        return RewriteResult(
            "a red square, flat, studio light", Target.IMAGE, "image to prompt (sdxl)", "model", "", ""
        )

    rig = Rig(core, XTERM, "echo ", selected=False)
    rig.controller.offline_only = False
    rig.controller.describer = lambda: describe
    replaced: list[object] = []
    rig.controller.replaced.connect(replaced.append)
    assert True is rig.controller.describe()
    qtbot.waitUntil(lambda: rig.outcomes == ["pasted"], timeout=10_000)
    assert [PNG] == seen
    assert CTRL_U not in rig.keys.pressed and CTRL_C not in rig.keys.pressed  # nothing cleared, nothing copied
    assert "echo a red square, flat, studio light" == rig.app.text  # inserted after what was typed
    assert ORIGINAL == rig.clipboard.formats[False]  # the image is the user's clipboard again
    assert 1 == len(replaced)


def test_image_to_prompt_without_an_image_or_a_model_says_so(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, EDITOR, "some text")
    assert False is rig.controller.describe()  # offline: no model to ask
    assert rig.notices[-1].startswith("Image to prompt needs a model that can see images:")
    rig.controller.offline_only = False
    rig.controller.describer = lambda: lambda image, on_delta, token: RewriteResult("x", Target.IMAGE, "", "", "", "")
    rig.clipboard.formats[False] = {"text/plain": b"only text"}
    assert True is rig.controller.describe()
    qtbot.waitUntil(lambda: rig.outcomes == ["nothing-selected"], timeout=10_000)
    assert (
        "There is no image on the clipboard: copy an image, then press the image-to-prompt hotkey again."
        == (rig.notices[-1])
    )
    assert {"text/plain": b"only text"} == rig.clipboard.formats[False]


def test_a_history_file_another_program_locks_costs_one_notice(core: Core, config_dir: Path) -> None:
    import sqlite3

    from rephraser.core.history import HistoryEntry
    from rephraser.desktop.history_recorder import HistoryRecorder

    notices: list[str] = []
    recorder = HistoryRecorder(core.config.settings, notices.append, EventLog(json_lines=True, stream=io.StringIO()))
    entry = HistoryEntry("a fox", "Subject: a fox", "image", "image", "offline", "Mousepad")
    recorder.record(entry)
    other = sqlite3.connect(config_dir / "data" / "history.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        recorder.record(entry)
        recorder.record(entry)
    finally:
        other.execute("ROLLBACK")
        other.close()
    path = config_dir / "data" / "history.sqlite3"
    assert [
        f"The history file {path} is locked by another program; try again in a moment. Your rewrite was pasted; "
        "it is not in the history."
    ] == notices
    recorder.record(entry)
    assert 2 == len(recorder.recent(5))

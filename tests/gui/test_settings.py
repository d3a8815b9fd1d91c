"""The settings window, page by page, over a real config folder and template store (offscreen Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from rephraser.composition import build_core
from rephraser.core.config import ConfigStore
from rephraser.core.history import History, HistoryEntry
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.history_page import HistoryPage
from rephraser.desktop.settings.window import SettingsWindow
from tests.helpers.fakes import MemorySecretStore
from tests.helpers.llm_server import FakeLLMServer

OFFSCREEN_RAISE = pytest.mark.qt_log_ignore("This plugin does not support")


class Harness:
    def __init__(self, config_dir: Path, taken: frozenset[str] = frozenset(), last_app: str = "") -> None:
        self.config_dir = config_dir
        self.secrets = MemorySecretStore()
        self.autostart = [False]
        self.saved: list[object] = []
        self.context = SettingsContext(
            build_core(config_dir),
            self.secrets,
            probe_hotkey=lambda combo: "another program already uses it" if combo in taken else "",
            last_app=lambda: last_app,
            autostart=(lambda: self.autostart[0], lambda on: self.autostart.__setitem__(0, on)),
            doctor=lambda: "config: ok\nmode: offline",
            history=History(config_dir / "data" / "history.sqlite3", 500, 5_000_000),
        )
        self.window = SettingsWindow(self.context)
        self.window.saved.connect(self.saved.append)

    def stored(self) -> ConfigStore:
        return ConfigStore(self.config_dir)


@pytest.fixture
def harness(qtbot: QtBot, config_dir: Path) -> Iterator[Harness]:
    rig = Harness(config_dir)
    qtbot.addWidget(rig.window)
    yield rig


def test_pages_load_from_the_config(qtbot: QtBot, config_dir: Path) -> None:
    ConfigStore(config_dir).set("mode", "model")
    ConfigStore(config_dir).set("hotkey", "Ctrl+Shift+Space")
    ConfigStore(config_dir).set("base_url", "http://127.0.0.1:11434/v1")
    rig = Harness(config_dir)
    qtbot.addWidget(rig.window)
    assert "model" == rig.window.general.mode.currentText()
    assert "Ctrl+Shift+Space" == rig.window.hotkeys.editors["hotkey"].keySequence().toString()
    assert "http://127.0.0.1:11434/v1" == rig.window.model.base_url.text()
    assert ["&General", "Hot&keys", "M&odel", "&Templates", "&Apps", "Histor&y", "A&bout"] == [
        rig.window.tabs.tabText(i) for i in range(rig.window.tabs.count())
    ]


def test_edit_and_save_goes_through_the_config_store(harness: Harness) -> None:
    harness.window.general.mode.setCurrentText("model")
    harness.window.general.default_target.setCurrentText("code")
    harness.window.general.fallback.setChecked(False)
    harness.window.general.autostart.setChecked(True)
    harness.window.general.history.setChecked(False)
    assert harness.window.save()
    settings = harness.stored().load().settings
    assert ("model", "code", False, False) == (
        settings.mode,
        settings.default_target,
        settings.fallback_to_offline,
        settings.history,
    )
    assert [True] == harness.autostart
    assert 1 == len(harness.saved)


def test_the_preview_settings_save_by_target_too(harness: Harness) -> None:
    general = harness.window.general
    general.preview.setCurrentText("always")
    general.preview_by_target["code"].setCurrentText("never")
    general.fill.setChecked(False)
    assert ["chat", "code", "image", "multimodal"] == list(general.preview_by_target)
    assert harness.window.save()
    settings = harness.stored().load().settings
    assert ("always", "", "never", False) == (
        settings.preview,
        settings.preview_chat,
        settings.preview_code,
        settings.fill_placeholders,
    )
    general.preview_by_target["code"].setCurrentText("as above")
    assert harness.window.save()
    assert "" == harness.stored().load().settings.preview_code


def test_cancel_discards(harness: Harness) -> None:
    harness.window.general.mode.setCurrentText("model")
    harness.window.cancel_button.click()
    assert not (harness.config_dir / "config.toml").exists()


def test_invalid_field_shows_why_and_disables_save(harness: Harness) -> None:
    harness.window.model.base_url.setText("ftp://example.com")
    message = harness.window.model.messages["base_url"]
    assert not message.isHidden()
    assert message.text().startswith('write an http:// or https:// URL, e.g. "http://127.0.0.1:11434/v1"')
    assert not harness.window.save_button.isEnabled()
    assert not harness.window.save()
    harness.window.model.base_url.setText("http://127.0.0.1:1234/v1")
    assert message.isHidden()
    assert harness.window.save_button.isEnabled()


def test_hotkey_conflicts_show_inline_before_saving(qtbot: QtBot, config_dir: Path) -> None:
    rig = Harness(config_dir, taken=frozenset({"Ctrl+Alt+X"}))
    qtbot.addWidget(rig.window)
    page = rig.window.hotkeys
    page.editors["hotkey_code"].setKeySequence(QKeySequence("Ctrl+Alt+R"))
    assert "Ctrl+Alt+R is also set for hotkey; give each action its own hotkey." == page.messages["hotkey_code"].text()
    assert not rig.window.save_button.isEnabled()
    page.editors["hotkey_code"].setKeySequence(QKeySequence("Ctrl+Alt+X"))
    assert "Ctrl+Alt+X is taken by another program (another program already uses it); choose another." == (
        page.messages["hotkey_code"].text()
    )
    page.editors["hotkey_code"].setKeySequence(QKeySequence("Ctrl+Alt+C"))
    assert page.messages["hotkey_code"].isHidden()
    assert rig.window.save()
    assert "Ctrl+Alt+C" == rig.stored().load().settings.hotkey_code


def test_hotkey_reset_to_default(harness: Harness) -> None:
    page = harness.window.hotkeys
    page.editors["hotkey"].setKeySequence(QKeySequence("Ctrl+Shift+K"))
    page.reset()
    assert "Ctrl+Alt+R" == page.editors["hotkey"].keySequence().toString()


def test_api_key_goes_to_the_keyring_only(harness: Harness) -> None:
    page = harness.window.model
    page.provider.setCurrentText("anthropic")
    page.key.setText("sk-ant-SECRET-123")
    assert harness.window.save()
    assert {"anthropic": "sk-ant-SECRET-123"} == harness.secrets.keys
    assert "sk-ant-SECRET-123" not in (harness.config_dir / "config.toml").read_text(encoding="utf-8")
    assert "a key is stored in the keyring" == page.key_status.text()
    assert "" == page.key.text()


def test_presets_fill_the_fields(harness: Harness) -> None:
    page = harness.window.model
    page.preset.setCurrentIndex(2)
    page.apply_preset(2)
    assert ("openai", "http://127.0.0.1:11434/v1") == (page.provider.currentText(), page.base_url.text())
    page.apply_preset(8)
    assert ("anthropic", "") == (page.provider.currentText(), page.base_url.text())


def _responsive(qtbot: QtBot, until: object, timeout_ms: int = 10_000) -> int:
    """Wait for `until()` while counting event-loop ticks: a frozen UI would count none."""
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    qtbot.waitUntil(until, timeout=timeout_ms)  # type: ignore[arg-type]
    timer.stop()
    return ticks[0]


def test_test_connection_success(qtbot: QtBot, harness: Harness) -> None:
    with FakeLLMServer() as server:
        page = harness.window.model
        page.base_url.setText(server.url)
        page.model.setCurrentText("small-model")
        page.test.click()
        ticks = _responsive(qtbot, lambda: page.result.text().startswith("Connected"))
        assert page.result.text().endswith('2 model(s); "small-model" is listed.')
        assert ticks > 0


def test_test_connection_reports_a_rejected_key(qtbot: QtBot, harness: Harness) -> None:
    with FakeLLMServer() as server:
        server.behaviour.statuses = [401]
        page = harness.window.model
        page.base_url.setText(server.url)
        page.test.click()
        _responsive(qtbot, lambda: "HTTP 401" in page.result.text())
        assert page.result.text().startswith("OpenAI-compatible endpoint rejected the API key (HTTP 401)")


def test_test_connection_times_out_without_freezing(qtbot: QtBot, harness: Harness) -> None:
    with FakeLLMServer() as server:
        server.behaviour.fault = "slow_first_byte"
        server.behaviour.delay_s = 30  # the timeout's message can only come from the 0.5 s read timeout
        page = harness.window.model
        page.base_url.setText(server.url)
        page.timeout.setValue(0.5)
        page.test.click()
        ticks = _responsive(qtbot, lambda: "sent nothing for 0.5 s" in page.result.text())
        # A loop blocked for the whole wait counts at most one (coalesced) tick of the 10 ms timer.
        assert ticks >= 3  # the UI kept processing events while the request waited
        assert page.test.isEnabled()


def test_fetch_models_fills_the_list(qtbot: QtBot, harness: Harness) -> None:
    with FakeLLMServer() as server:
        page = harness.window.model
        page.base_url.setText(server.url)
        page.fetch.click()
        qtbot.waitUntil(lambda: page.model.count() == 2, timeout=10_000)
        assert ["big-model", "small-model"] == [page.model.itemText(i) for i in range(2)]


def test_templates_are_listed_by_target_with_their_origin(harness: Harness) -> None:
    tree = harness.window.templates.tree
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    assert {"chat", "code", "image", "multimodal"} == set(groups)
    first = groups["chat"].child(0)
    assert ("chat", "built-in") == (first.text(0), first.text(1))


def test_live_preview_follows_the_sample_and_the_editor(qtbot: QtBot, harness: Harness) -> None:
    page = harness.window.templates
    page.sample.setPlainText("explain inflation to a 10 year old")
    qtbot.waitUntil(lambda: "explain inflation to a 10 year old" in page.preview.toPlainText(), timeout=10_000)
    page.editor.setPlainText(page.editor.toPlainText().replace("{{ L.role }}: {{ L.ph_role }}", "ROLE LINE"))
    qtbot.waitUntil(lambda: page.preview.toPlainText().startswith("ROLE LINE"), timeout=10_000)


def test_a_broken_template_shows_its_line_and_saves_only_as_a_draft(qtbot: QtBot, harness: Harness) -> None:
    page = harness.window.templates
    page.name.setText("mine")
    page.new()
    assert "mine" == page.current
    page.save_template()  # the working version first
    broken = page.editor.toPlainText().replace("{{ super() }}", "{{ super() }\n{% if %}")
    page.editor.setPlainText(broken)
    page.refresh_preview()
    assert "Line 7: unexpected '}'" == page.status.text()
    assert 7 == page.editor.marked_line
    page.save_template()
    folder = harness.config_dir / "templates"
    assert (folder / "mine.j2.draft").read_text(encoding="utf-8") == broken
    assert "{{ super() }}" in (folder / "mine.j2").read_text(encoding="utf-8")  # the working version stays
    assert page.status.text().startswith("Saved as a draft (mine.j2.draft): line 7 has an error.")
    assert "mine" in [info.name for info in harness.context.core.templates.list()]


def test_create_duplicate_rename_delete_and_reset(harness: Harness) -> None:
    page = harness.window.templates
    folder = harness.config_dir / "templates"
    page.name.setText("short")
    page.new()
    assert not (folder / "short.j2").exists()  # New is part of the draft, like every other change
    page.save_template()
    assert (folder / "short.j2").is_file()
    page.name.setText("short-two")
    page.duplicate()
    assert (folder / "short-two.j2").read_text(encoding="utf-8") == (folder / "short.j2").read_text(encoding="utf-8")
    page.name.setText("brief")
    page.rename()
    assert not (folder / "short-two.j2").exists()
    assert (folder / "brief.j2").is_file()
    page.delete()
    page.confirm.confirm_button.click()
    assert "brief" not in page.names()
    assert (folder / "brief.j2").is_file()  # until Save
    assert harness.window.save()
    assert not (folder / "brief.j2").exists()
    page.open("image")
    page.editor.setPlainText(page.editor.toPlainText() + "\n{# my note #}\n")
    page.save_template()
    assert (folder / "image.j2").is_file()  # editing a built-in made a user copy
    assert "user, overrides built-in" in [page.tree.topLevelItem(2).child(0).text(1)] or (folder / "image.j2").exists()
    page.open("image")
    page.reset()
    assert not (folder / "image.j2").exists()


def test_bad_names_and_builtin_deletes_are_refused(harness: Harness) -> None:
    page = harness.window.templates
    page.name.setText("Bad Name!")
    page.new()
    assert page.list_message.text().startswith('Template name "Bad Name!": use 1-64 lowercase letters')
    page.open("chat")
    assert not page.buttons["Delete"].isEnabled()


def test_import_and_export(harness: Harness, tmp_path: Path) -> None:
    source = tmp_path / "incoming"
    source.mkdir()
    (source / "terse.j2").write_text(
        '{#\n[template]\ntarget = "code"\n#}\n{% extends "builtin/code.j2" %}\n', encoding="utf-8"
    )
    page = harness.window.templates
    page.import_paths([source])
    assert (harness.config_dir / "templates" / "terse.j2").is_file()
    page.open("terse")
    page.export_to(tmp_path / "out.j2")
    assert (tmp_path / "out.j2").read_text(encoding="utf-8") == (source / "terse.j2").read_text(encoding="utf-8")


def test_apps_page_rules_and_the_last_app_seen(qtbot: QtBot, config_dir: Path) -> None:
    rig = Harness(config_dir, last_app="XTerm")
    qtbot.addWidget(rig.window)
    page = rig.window.apps
    assert "Add a rule for the last app seen: XTerm" == page.suggestion.text()
    page.suggestion.click()
    assert "^XTerm$" == page.table.item(0, 0).text()
    page.add_rule("(")
    assert page.message.text().startswith('rule 2: match "(" is not a valid regular expression')
    assert not rig.window.save_button.isEnabled()
    page.table.selectRow(1)
    page.remove_selected()
    assert rig.window.save()
    assert "^XTerm$" == rig.stored().load().settings.app_rules[0].match


def test_about_page_runs_doctor_off_the_gui_thread(qtbot: QtBot, harness: Harness) -> None:
    page = harness.window.about
    page.run_doctor()
    qtbot.waitUntil(lambda: page.report_view.toPlainText() == "config: ok\nmode: offline", timeout=10_000)


def test_the_window_remembers_its_size(qtbot: QtBot, config_dir: Path) -> None:
    first = Harness(config_dir)
    qtbot.addWidget(first.window)
    first.window.resize(700, 500)
    first.window.close()
    second = Harness(config_dir)
    qtbot.addWidget(second.window)
    assert (700, 500) == (second.window.width(), second.window.height())


def test_the_editor_highlights_jinja_and_numbers_lines(qtbot: QtBot) -> None:
    from rephraser.desktop.settings.editor import TemplateEditor

    editor = TemplateEditor()
    qtbot.addWidget(editor)
    editor.setPlainText('{#\nnote\n#}\n{% extends "x" %} text {{ a }}')
    spans = [[(r.start, r.length) for r in editor.document().findBlockByNumber(n).layout().formats()] for n in range(4)]
    assert [[(0, 2)], [(0, 4)], [(0, 2)], [(0, 17), (23, 7)]] == spans
    assert editor.number_width() > 0
    editor.mark_line(2)
    assert 2 == editor.marked_line


@pytest.fixture
def model_page(qtbot: QtBot, config_dir: Path) -> Iterator[tuple[FakeLLMServer, Any]]:
    """The Templates page with a model endpoint configured: a real server on 127.0.0.1."""
    with FakeLLMServer() as server:
        store = ConfigStore(config_dir)
        store.set("base_url", server.url)
        store.set("model", "small-model")
        rig = Harness(config_dir)
        qtbot.addWidget(rig.window)
        yield server, rig.window.templates


def test_try_with_model_goes_through_the_judge_like_the_hotkey(
    qtbot: QtBot, model_page: tuple[FakeLLMServer, Any]
) -> None:
    server, page = model_page
    page.sample.setPlainText("what is the capital of France?")
    server.behaviour.answer = "The answer is: Paris."
    page.try_model.click()
    qtbot.waitUntil(lambda: page.try_model.isEnabled(), timeout=10000)
    shown = page.preview.toPlainText()
    assert shown.startswith("[The model's text was not used: it answered the prompt instead of rewriting it")
    assert "Paris" not in shown.split("]", 1)[1]
    server.behaviour.answer = "What is the capital of France? Answer in one sentence and name your source."
    page.try_model.click()
    qtbot.waitUntil(lambda: page.try_model.isEnabled(), timeout=10000)
    assert server.behaviour.answer == page.preview.toPlainText()


def test_a_pending_offline_preview_never_overwrites_the_models_answer(
    qtbot: QtBot, model_page: tuple[FakeLLMServer, Any]
) -> None:
    """Typing the sample starts the offline preview's 250 ms wait; a model that answers sooner must not see
    its answer replaced when that wait ends (it did, now and then, in CI)."""
    server, page = model_page
    server.behaviour.answer = "Explain how tides work to a ten-year-old, in three short paragraphs."
    page.sample.setPlainText("explain tides")
    page.try_model.click()
    qtbot.waitUntil(lambda: page.try_model.isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: not page._debounce.isActive(), timeout=10000)
    assert server.behaviour.answer == page.preview.toPlainText()


def _mnemonics(widget: QWidget) -> list[str]:
    """Every Alt+key a widget's text claims: buttons, labels (their buddies) and group boxes."""
    texts = []
    for child in widget.findChildren(QWidget):
        if isinstance(child, QAbstractButton | QLabel):
            texts.append(child.text())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
    return [key for text in texts if (key := QKeySequence.mnemonic(text).toString())]


def test_every_mnemonic_is_unique_on_each_page(harness: Harness) -> None:
    window = harness.window
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    own = [window.save_button.text(), window.cancel_button.text()]
    always = [QKeySequence.mnemonic(text).toString() for text in [*tabs, *own]]  # shown beside every page
    assert "Alt+C" == QKeySequence.mnemonic(window.cancel_button.text()).toString()
    for index in range(window.tabs.count()):
        page = window.tabs.widget(index)
        keys = always + _mnemonics(page)
        assert [] == sorted({key for key in keys if keys.count(key) > 1}), window.tabs.tabText(index)
        assert len(keys) > len(always), window.tabs.tabText(index)  # the page's own controls have them too


def test_new_waits_for_save_and_cancel_drops_it(qtbot: QtBot, config_dir: Path) -> None:
    rig = Harness(config_dir)
    qtbot.addWidget(rig.window)
    page = rig.window.templates
    page.name.setText("terse")
    page.new()
    assert ("terse", "new, on Save") == (page.current, page.tree.currentItem().text(1))
    assert not (config_dir / "templates" / "terse.j2").exists()
    rig.window.cancel_button.click()
    assert not (config_dir / "templates").exists()
    again = Harness(config_dir)
    qtbot.addWidget(again.window)
    assert "terse" not in again.window.templates.names()


def test_new_is_written_on_save_with_its_edits(harness: Harness) -> None:
    page = harness.window.templates
    page.name.setText("terse")
    page.new()
    edited = page.editor.toPlainText() + "{# mine #}\n"
    page.editor.setPlainText(edited)
    assert harness.window.save()
    assert edited == (harness.config_dir / "templates" / "terse.j2").read_text(encoding="utf-8")
    assert "terse" in [info.name for info in build_core(harness.config_dir).templates.list()]


def test_a_new_template_with_an_error_blocks_save_and_says_where(harness: Harness) -> None:
    page = harness.window.templates
    page.name.setText("broken")
    page.new()
    page.editor.setPlainText(page.editor.toPlainText().replace("{{ super() }}", "{{ super() }"))
    assert not harness.window.save()
    assert harness.window.summary.text().startswith('New template "broken" has an error (line 7: ')
    assert not (harness.config_dir / "config.toml").exists()  # nothing half-saved


def _user_template(config_dir: Path, name: str) -> Path:
    folder = config_dir / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.j2"
    path.write_text('{#\n[template]\ntarget = "code"\n#}\n{% extends "builtin/code.j2" %}\n', encoding="utf-8")
    return path


def test_delete_asks_inside_the_window_and_waits_for_save(qtbot: QtBot, config_dir: Path) -> None:
    path = _user_template(config_dir, "terse")
    rig = Harness(config_dir)
    qtbot.addWidget(rig.window)
    page = rig.window.templates
    page.open("terse")
    page.delete()
    assert QApplication.activeModalWidget() is None  # no dialog that could take the focus
    assert not page.confirm.isHidden()
    assert 'Delete the template "terse"? It goes when you press Save; Cancel keeps it.' == page.confirm.question.text()
    page.confirm.keep_button.click()
    assert page.confirm.isHidden()
    assert "terse" in page.names()
    page.delete()
    page.confirm.confirm_button.click()
    assert "terse" not in page.names()
    assert path.is_file()
    assert rig.window.save()
    assert not path.exists()


def test_a_delete_is_undone_by_cancel(qtbot: QtBot, config_dir: Path) -> None:
    path = _user_template(config_dir, "terse")
    rig = Harness(config_dir)
    qtbot.addWidget(rig.window)
    page = rig.window.templates
    page.open("terse")
    page.delete()
    page.confirm.confirm_button.click()
    rig.window.cancel_button.click()
    assert path.is_file()


def test_a_new_template_deleted_before_save_never_reaches_the_disk(harness: Harness) -> None:
    page = harness.window.templates
    page.name.setText("terse")
    page.new()
    page.delete()
    assert 'Delete the template "terse"? It goes now.' == page.confirm.question.text()
    page.confirm.confirm_button.click()
    assert harness.window.save()
    assert not (harness.config_dir / "templates" / "terse.j2").exists()


def test_the_history_page_lists_searches_copies_and_clears_after_asking(harness: Harness) -> None:
    from PySide6.QtGui import QGuiApplication

    history = harness.context.history
    assert history is not None
    history.add(
        HistoryEntry("cat astronaut moon", "Subject: cat astronaut moon", "image", "image", "offline", "Mousepad")
    )
    history.add(HistoryEntry("fix my regex", "Fix this regex: [regex]", "code", "code", "model"))
    page = harness.window.history
    harness.window.tabs.setCurrentWidget(page)  # shown: read afresh
    assert 2 == page.list.count()
    assert ("fix my regex", "Fix this regex: [regex]") == (page.original.toPlainText(), page.rewrite.toPlainText())
    page.search.setText("ASTRONAUT")
    assert ["cat astronaut moon"] == [entry.original for entry in page.entries]
    assert page.when.text().startswith("#1, ")
    assert page.when.text().endswith(" in Mousepad: image, template image, offline")
    page.copy_rewrite.click()
    assert "Subject: cat astronaut moon" == QGuiApplication.clipboard().text()
    page.search.clear()
    page.clear_button.click()
    assert 2 == page.list.count()  # only asked so far
    page.confirm.confirm_button.click()
    assert (0, False) == (page.list.count(), history.path.exists())
    assert "No rewrites yet." == page.message.text()


def test_the_history_page_says_when_history_is_off(qtbot: QtBot, config_dir: Path) -> None:
    rig = Harness(config_dir)
    rig.context.history = None
    page = HistoryPage(rig.context)
    qtbot.addWidget(page)
    assert ("The history is off: turn it on on the General page.", False) == (
        page.message.text(),
        page.clear_button.isEnabled(),
    )

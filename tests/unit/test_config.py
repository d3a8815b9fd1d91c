from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rephraser.core.config import AppRule, ConfigStore, Settings
from rephraser.core.config.schema import describe, setting_names
from rephraser.core.errors import ConfigError


def test_missing_file_gives_defaults_without_warnings(tmp_path: Path) -> None:
    loaded = ConfigStore(tmp_path).load()
    assert Settings() == loaded.settings
    assert () == loaded.warnings
    assert "offline" == loaded.settings.mode
    assert "Ctrl+Alt+R" == loaded.settings.hotkey
    assert "auto" == loaded.settings.default_target
    assert loaded.settings.fallback_to_offline is True


def test_every_setting_has_a_description_and_a_default() -> None:
    for name in setting_names():
        info = describe(name)
        assert info is not None
        assert info.description
        assert getattr(Settings(), name) == info.default


def test_set_writes_a_file_that_loads_back(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.set("mode", "model")
    store.set("temperature", "0.7")
    store.set("fallback_to_offline", "no")
    settings = ConfigStore(tmp_path).load().settings
    assert ("model", 0.7, False) == (settings.mode, settings.temperature, settings.fallback_to_offline)
    text = store.path.read_text(encoding="utf-8")
    assert 'mode = "model"' in text
    assert "# How rewrites are made" in text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("mode", "fast", 'mode = "fast" is not allowed: use one of "offline", "model".'),
        ("temperature", "9", 'temperature = "9" is not allowed: use a number from 0 to 2.'),
        ("hotkey", "R", 'hotkey = "R" is not allowed: write modifiers and one key joined by "+", e.g. "Ctrl+Alt+R".'),
        (
            "hotkey",
            "Hyper+R",
            'hotkey = "Hyper+R" is not allowed: "Hyper" is not a modifier; use Ctrl, Alt, Shift or Super.',
        ),
        ("max_output_tokens", "many", 'max_output_tokens = "many" is not allowed: expected a whole number.'),
        ("mdoel", "x", 'Unknown setting "mdoel". Did you mean "model"?'),
    ],
)
def test_set_rejects_bad_values_with_a_clear_message(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ConfigStore(tmp_path).set(name, value)
    assert message == str(caught.value)
    assert not (tmp_path / "config.toml").exists()


def test_corrupt_file_warns_falls_back_and_is_never_overwritten(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.path.write_text("mode = 'model\nthis is not toml", encoding="utf-8")
    loaded = store.load()
    assert Settings() == loaded.settings
    assert 1 == len(loaded.warnings)
    assert loaded.warnings[0].startswith(f"{store.path}: not valid TOML (")
    assert loaded.warnings[0].endswith("; using defaults. Fix it or move it away.")
    with pytest.raises(ConfigError) as caught:
        store.set("hotkey", "Ctrl+Shift+P")
    assert str(caught.value).endswith("; it was left unchanged. Fix it or move it away, then try again.")
    assert "mode = 'model\nthis is not toml" == store.path.read_text(encoding="utf-8")
    assert [] == sorted(tmp_path.glob("config.toml.*.bak"))


def test_bad_keys_fall_back_individually_and_unknown_keys_get_a_hint(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.path.write_text('mode = "fast"\nhotkey = "Ctrl+Shift+E"\ntempreature = 1.0\n', encoding="utf-8")
    loaded = store.load()
    assert "offline" == loaded.settings.mode
    assert "Ctrl+Shift+E" == loaded.settings.hotkey
    assert [
        f'{store.path}: mode = "fast" is not allowed: use one of "offline", "model". Using "offline".',
        f'{store.path}: unknown setting "tempreature" ignored. Did you mean "temperature"?',
    ] == list(loaded.warnings)
    assert not loaded.needs_backup  # a save edits the file in place, so nothing in it is lost


def test_integers_are_accepted_for_float_settings(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("temperature = 1\n", encoding="utf-8")
    assert 1.0 == ConfigStore(tmp_path).load().settings.temperature


def test_app_rules_load_and_round_trip(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.path.write_text(
        '[[app_rules]]\nmatch = "^discord$"\ntarget = "image"\nstrength = "always"\n'
        '[[app_rules]]\nmatch = "("\n'
        '[[app_rules]]\nmatch = "obsidian"\ntarget = "nope"\n',
        encoding="utf-8",
    )
    loaded = store.load()
    assert (AppRule(match="^discord$", target="image", strength="always"),) == loaded.settings.app_rules
    assert 2 == len(loaded.warnings)
    assert 'app rule 2 ignored: match "(" is not a valid regular expression' in loaded.warnings[0]
    assert "app rule 3 ignored: target must be one of auto, chat, code, image, multimodal" in loaded.warnings[1]
    before = store.path.read_text(encoding="utf-8")
    store.save(loaded.settings._replace(mode="model"))
    assert loaded.settings.app_rules == store.load().settings.app_rules
    assert before.replace("[[app_rules]]", 'schema_version = 1\nmode = "model"\n[[app_rules]]', 1) == (
        store.path.read_text(encoding="utf-8")
    )


def test_file_from_a_newer_version_is_never_overwritten(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.path.write_text('schema_version = 99\nmode = "model"\n', encoding="utf-8")
    loaded = store.load()
    assert loaded.read_only
    assert Settings() == loaded.settings
    with pytest.raises(ConfigError, match="written by a newer Rephraser; it is left untouched"):
        store.set("mode", "offline")
    assert 'schema_version = 99\nmode = "model"\n' == store.path.read_text(encoding="utf-8")


def _rename_target_key(document: dict[str, Any]) -> dict[str, Any]:
    if "target" in document:
        document["default_target"] = document.pop("target")
    return document


def test_old_files_are_migrated_in_order_and_backed_up_before_saving(tmp_path: Path) -> None:
    before = 'schema_version = 1\ntarget = "code"\n'
    (tmp_path / "config.toml").write_text(before, encoding="utf-8")
    store = ConfigStore(tmp_path, migrations={1: _rename_target_key}, current_version=2)
    loaded = store.load()
    assert "code" == loaded.settings.default_target
    assert () == loaded.warnings
    store.save(loaded.settings)
    assert [before] == [p.read_text(encoding="utf-8") for p in tmp_path.glob("config.toml.*.bak")]
    after = store.path.read_text(encoding="utf-8")
    assert "schema_version = 2\n" in after
    assert 'default_target = "code"\n' in after


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.set("mode", "model")
    store.set("model", "llama3.2")
    assert ["config.toml", "config.toml.lock"] == sorted(p.name for p in tmp_path.iterdir())


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ConfigStore(tmp_path)
    store.set("mode", "model")
    original = store.path.read_text(encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(ConfigError) as caught:
        store.set("model", "x")
    assert (
        f"{store.path}: cannot be saved (the disk is full); it was left unchanged. Free some space, then try again."
    ) == str(caught.value)
    assert original == store.path.read_text(encoding="utf-8")
    assert ["config.toml", "config.toml.lock"] == sorted(p.name for p in tmp_path.iterdir())


def test_strings_with_quotes_and_newlines_survive_a_round_trip(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.set("model", 'my "special"\nmodel \\ ü')
    assert 'my "special"\nmodel \\ ü' == store.load().settings.model


def test_a_long_bad_value_is_shown_cut_short(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path)
    store.path.write_text(f'hotkey = "{"y" * 5000}"\nmode = {"[" * 300}{"]" * 300}\n', encoding="utf-8")
    assert [
        f'{store.path}: hotkey = "{"y" * 56}... is not allowed: write modifiers and one key joined by "+", '
        'e.g. "Ctrl+Alt+R". Using "Ctrl+Alt+R".',
        f'{store.path}: mode = [[[[[[[...]]]]]]] is not allowed: expected a string. Using "offline".',
    ] == list(store.load().warnings)


def test_a_base_url_with_an_impossible_port_is_refused_with_the_reason() -> None:
    from rephraser.core.config.schema import describe, validate_value

    info = describe("base_url")
    assert info is not None
    assert ("", "it is not a valid URL (Port out of range 0-65535)") == validate_value(info, "http://127.0.0.1:99999")
    assert ("http://127.0.0.1:8080/v1", None) == validate_value(info, "http://127.0.0.1:8080/v1")

"""`rephraser history`: the tray app's rewrites listed, shown and deleted, as a real process."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rephraser.core.history import History, HistoryEntry
from tests.conftest import run_cli

APP = "mousepad"
WHEN = time.mktime((2026, 12, 1, 9, 30, 0, 0, 0, -1))


def _stored(config_dir: Path, *entries: HistoryEntry) -> History:
    history = History(config_dir / "data" / "history.sqlite3", 500, 5_000_000)
    for entry in entries:
        history.add(entry._replace(time=WHEN))
    history.close()
    return history


def test_list_shows_the_newest_first_and_search_narrows_it(config_dir: Path) -> None:
    _stored(
        config_dir,
        HistoryEntry("cat astronaut moon", "Prompt: a cat astronaut on the moon", "image", "image", "offline", APP),
        HistoryEntry("fix my regex " + "x" * 60, "Fix this regex: [regex]", "code", "code", "model"),
    )
    listed = run_cli("history", "list")
    assert (0, "") == (listed.returncode, listed.stderr)
    assert [
        f"    2  2026-12-01 09:30  code: 'fix my regex {'x' * 34}…' -> 'Fix this regex: [regex]'",
        "    1  2026-12-01 09:30  image in mousepad: 'cat astronaut moon' -> 'Prompt: a cat astronaut on the moon'",
    ] == listed.stdout.splitlines()
    found = run_cli("history", "list", "--search", "ASTRONAUT", "--json")
    assert [1] == [json.loads(line)["id"] for line in found.stdout.splitlines()]
    assert "No rewrites match.\n" == run_cli("history", "list", "--search", "zebra").stdout


def test_show_prints_one_rewrite_whole_and_an_unknown_number_is_one_line(config_dir: Path) -> None:
    _stored(config_dir, HistoryEntry("a fox\nin snow", "Subject: a fox in snow", "image", "image", "offline"))
    shown = run_cli("history", "show", "1")
    assert (
        "#1  2026-12-01 09:30  image, image, offline, -\n\n--- original\na fox\nin snow\n\n"
        "--- rewrite\nSubject: a fox in snow\n"
    ) == shown.stdout
    missing = run_cli("history", "show", "7")
    assert (1, "", "rephraser: No rewrite 7 in the history (`rephraser history list` shows them).\n") == (
        missing.returncode,
        missing.stdout,
        missing.stderr,
    )


def test_clear_and_turning_history_off_delete_the_file(config_dir: Path) -> None:
    history = _stored(config_dir, HistoryEntry("a", "b", "chat", "chat", "offline"))
    assert f"History deleted ({history.path}).\n" == run_cli("history", "clear").stdout
    assert "The history was already empty.\n" == run_cli("history", "clear").stdout
    assert "The history is empty.\n" == run_cli("history", "list").stdout
    _stored(config_dir, HistoryEntry("a", "b", "chat", "chat", "offline"))
    turned_off = run_cli("config", "set", "history", "false")
    assert (0, f"History deleted ({history.path}).\n") == (turned_off.returncode, turned_off.stdout)
    assert [] == list(history.path.parent.iterdir())


def test_a_damaged_history_file_is_one_line_not_a_traceback(config_dir: Path) -> None:
    (config_dir / "data").mkdir()
    (config_dir / "data" / "history.sqlite3").write_bytes(b"\x00garbage" * 500)
    listed = run_cli("history", "list")
    assert 1 == listed.returncode
    damaged = config_dir / "data" / "history.sqlite3"
    assert listed.stderr.startswith(f"rephraser: The history file {damaged} is damaged (")
    assert 1 == len(listed.stderr.splitlines())

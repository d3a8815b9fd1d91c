"""The history file: what it keeps, its caps, its privacy, and a damaged or locked file's one clear error."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from rephraser.core.history import History, HistoryEntry, HistoryError

ENTRY = HistoryEntry(
    "cat astronaut moon", "Prompt: a cat astronaut on the moon", "image", "image_sdxl", "offline", "mousepad"
)


def _history(tmp_path: Path, max_entries: int = 100, max_bytes: int = 1_000_000, **kwargs: float) -> History:
    return History(tmp_path / "data" / "history.sqlite3", max_entries, max_bytes, **kwargs)


def test_a_rewrite_comes_back_whole_newest_first(tmp_path: Path) -> None:
    history = _history(tmp_path)
    first = history.add(ENTRY._replace(time=1000.0))
    second = history.add(ENTRY._replace(original="fix my regex", rewrite="Fix this regex: [regex]", time=2000.0))
    assert (1, 2, 2) == (first, second, history.count())
    assert [second, first] == [entry.id for entry in history.recent()]
    assert ENTRY._replace(time=1000.0, id=1) == history.get(first)
    assert None is history.get(99)


def test_search_finds_either_text_in_any_case(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.add(ENTRY)
    history.add(ENTRY._replace(original="write an email to Ms Rivera", rewrite="Write an email to Ms Rivera."))
    assert ["write an email to Ms Rivera"] == [e.original for e in history.recent(search="RIVERA")]
    assert ["cat astronaut moon"] == [e.original for e in history.recent(search="on the MOON")]
    assert [] == history.recent(search="nothing like it")
    assert 1 == len(history.recent(limit=1))


def test_the_oldest_go_when_the_count_or_the_size_is_past_its_cap(tmp_path: Path) -> None:
    by_count = _history(tmp_path / "count", max_entries=3)
    for number in range(5):
        by_count.add(ENTRY._replace(original=f"prompt {number}"))
    assert ["prompt 4", "prompt 3", "prompt 2"] == [e.original for e in by_count.recent()]
    by_size = _history(tmp_path / "size", max_bytes=100)
    for number in range(4):
        by_size.add(HistoryEntry("x" * 30, f"rewrite {number}", "chat", "chat", "offline"))  # 39 bytes each
    assert ["rewrite 3", "rewrite 2"] == [e.rewrite for e in by_size.recent()]


def test_the_file_and_its_journal_are_private(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.add(ENTRY)
    folder = history.path.parent
    assert 0o700 == stat.S_IMODE(folder.stat().st_mode)
    files = sorted(path.name for path in folder.iterdir())
    assert ["history.sqlite3", "history.sqlite3-shm", "history.sqlite3-wal"] == files
    assert {0o600} == {stat.S_IMODE((folder / name).stat().st_mode) for name in files}


def test_a_file_others_could_read_is_made_private(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.add(ENTRY)
    history.close()
    history.path.chmod(0o644)
    history.add(ENTRY)
    assert 0o600 == stat.S_IMODE(history.path.stat().st_mode)


def test_clear_deletes_the_files_not_just_the_rows(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.add(ENTRY)
    assert True is history.clear()
    assert [] == list(history.path.parent.iterdir())
    assert (False, [], 0) == (history.clear(), history.recent(), history.count())
    assert 1 == history.add(ENTRY)  # a new history starts with the next rewrite


def test_a_damaged_file_is_one_clear_error_that_says_how_to_start_again(tmp_path: Path) -> None:
    history = _history(tmp_path)
    history.path.parent.mkdir(parents=True)
    history.path.write_bytes(b"this is not a database, it is a note\n" * 200)
    with pytest.raises(HistoryError) as raised:
        history.add(ENTRY)
    assert str(raised.value).startswith(f"The history file {history.path} is damaged (")
    assert str(raised.value).endswith(
        "); `rephraser history clear` deletes it and a new one starts with the next rewrite."
    )
    with pytest.raises(HistoryError):
        history.recent()
    history.clear()
    assert 1 == history.add(ENTRY)


def test_a_file_another_program_locks_is_one_clear_error_and_works_once_released(tmp_path: Path) -> None:
    history = _history(tmp_path, busy_timeout_s=0.2)
    history.add(ENTRY)
    other = sqlite3.connect(history.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError) as raised:
            history.add(ENTRY)
        assert f"The history file {history.path} is locked by another program; try again in a moment." == str(
            raised.value
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert 2 == history.add(ENTRY)  # the locked attempt stored nothing

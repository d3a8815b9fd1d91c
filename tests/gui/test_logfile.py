"""The log file names apps, hotkeys and errors: only its owner may read it, however it came to exist."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from rephraser.desktop.logfile import LOG_NAME, log_to_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual desktop umask, under which plain files come out 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def detach() -> Iterator[list[logging.Handler]]:
    handlers: list[logging.Handler] = []
    yield handlers
    for handler in handlers:
        logging.getLogger("rephraser").removeHandler(handler)
        handler.close()


def test_a_new_log_is_0600_in_a_0700_folder(tmp_path: Path, loose_umask: None, detach: list[logging.Handler]) -> None:
    folder = tmp_path / "cache" / "rephraser"
    handler = log_to_file(folder)
    assert handler is not None
    detach.append(handler)
    logging.getLogger("rephraser.desktop").info("ready")
    assert (0o700, 0o600) == (mode(folder), mode(folder / LOG_NAME))


def test_loose_modes_left_by_an_older_version_are_tightened(
    tmp_path: Path, loose_umask: None, detach: list[logging.Handler]
) -> None:
    folder = tmp_path / "rephraser"
    folder.mkdir(mode=0o755)
    for name in (LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2"):
        (folder / name).write_text("old notice\n", encoding="utf-8")
        (folder / name).chmod(0o644)
    handler = log_to_file(folder)
    assert handler is not None
    detach.append(handler)
    assert [0o700, 0o600, 0o600, 0o600] == [
        mode(folder),
        *(mode(folder / name) for name in (LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2")),
    ]


def test_files_a_rollover_starts_are_private_too(
    tmp_path: Path, loose_umask: None, detach: list[logging.Handler]
) -> None:
    handler = log_to_file(tmp_path, max_bytes=200)
    assert handler is not None
    detach.append(handler)
    for number in range(20):
        logging.getLogger("rephraser.desktop").info("notice %d: the hotkey is taken by another program", number)
    assert (tmp_path / f"{LOG_NAME}.2").exists()
    assert {0o600} == {mode(tmp_path / name) for name in (LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2")}


def test_a_rollover_keeps_the_newest_lines_in_order_and_each_file_within_its_size(
    tmp_path: Path, detach: list[logging.Handler]
) -> None:
    handler = log_to_file(tmp_path, max_bytes=300)
    assert handler is not None
    detach.append(handler)
    for number in range(40):
        logging.getLogger("rephraser.desktop").info("line %02d", number)
    files = [tmp_path / name for name in (f"{LOG_NAME}.2", f"{LOG_NAME}.1", LOG_NAME)]
    numbers = [int(line.rsplit(" ", 1)[1]) for path in files for line in path.read_text("utf-8").splitlines()]
    assert list(range(40 - len(numbers), 40)) == numbers
    assert all(path.stat().st_size <= 300 for path in files)
    assert not (tmp_path / f"{LOG_NAME}.3").exists()

"""The single-instance socket's folder: ours, mode 0700, not a link; otherwise another one, or one clear
line saying what is wrong (real folders, one owned by another uid: the tests run as root)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from rephraser.core.config.paths import UnsafeFolderError, runtime_dir
from tests.conftest import run_cli

OTHER_UID = 12345
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")


@pytest.fixture
def no_runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No REPHRASER_CONFIG_DIR, no XDG_RUNTIME_DIR: the folder goes in TMPDIR; returns that folder."""
    monkeypatch.delenv("REPHRASER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp" / f"rephraser-{os.getuid()}"


def test_the_folder_is_made_private(no_runtime_dir: Path) -> None:
    assert (no_runtime_dir, 0o700) == (runtime_dir(), no_runtime_dir.stat().st_mode & 0o777)


def test_our_own_folder_left_open_is_closed(no_runtime_dir: Path) -> None:
    no_runtime_dir.mkdir(mode=0o755)
    no_runtime_dir.chmod(0o777)
    assert (no_runtime_dir, 0o700) == (runtime_dir(), no_runtime_dir.stat().st_mode & 0o777)


@needs_root
def test_a_folder_another_user_made_first_is_not_used(no_runtime_dir: Path, tmp_path: Path) -> None:
    no_runtime_dir.mkdir()
    os.chown(no_runtime_dir, OTHER_UID, OTHER_UID)
    no_runtime_dir.chmod(0o777)
    assert tmp_path / "cache" / "rephraser" / "run" == runtime_dir()
    assert (OTHER_UID, 0o777) == (no_runtime_dir.stat().st_uid, no_runtime_dir.stat().st_mode & 0o777)


def test_a_link_in_its_place_is_not_followed(no_runtime_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    no_runtime_dir.symlink_to(tmp_path / "elsewhere")
    assert tmp_path / "cache" / "rephraser" / "run" == runtime_dir()


@needs_root
def test_with_no_safe_folder_left_the_error_says_what_is_wrong(config_dir: Path) -> None:
    (config_dir / "run").mkdir()
    os.chown(config_dir / "run", OTHER_UID, OTHER_UID)
    message = (
        f"No private folder for Rephraser's socket: {config_dir / 'run'} belongs to another user (uid {OTHER_UID}). "
        "Remove the folder (or set XDG_RUNTIME_DIR to a folder only you can use) and try again."
    )
    with pytest.raises(UnsafeFolderError) as caught:
        runtime_dir()
    assert message == str(caught.value)
    for command in (["trigger"], ["run"]):
        out = run_cli(*command)
        assert (1, f"rephraser: {message}\n") == (out.returncode, out.stderr)


def test_a_file_in_its_place_is_named(config_dir: Path) -> None:
    (config_dir / "run").write_text("", encoding="utf-8")
    out = run_cli("trigger")
    assert (1, f"rephraser: No private folder for Rephraser's socket: {config_dir / 'run'} is not a folder. ") == (
        out.returncode,
        out.stderr.split("Remove")[0],
    )


def test_a_socket_path_too_long_for_unix_sockets_is_one_clear_line(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 100)
    out = run_cli("trigger", env={"REPHRASER_CONFIG_DIR": str(deep)})
    assert 1 == out.returncode
    message = out.stderr.strip()
    assert 1 == len(message.splitlines())
    assert message.startswith(f"rephraser: The single-instance socket's path {deep / 'run' / 'rephraser.sock'} is ")
    assert message.endswith("set REPHRASER_CONFIG_DIR (or XDG_RUNTIME_DIR) to a shorter folder.")

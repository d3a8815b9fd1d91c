"""config.toml against the real world: parallel `config set` processes, files that cannot be read or
written, a full disk, symlinks, comments and unknown keys, runaway sizes. Every case runs the CLI as a
real process on real files.

The tests run as root in some set-ups, and root ignores file modes: there the CLI runs without the
capabilities that let it (setpriv), so "Permission denied" is as real as for any user.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from rephraser.core.config import ConfigStore

KEYS_AND_VALUES = {  # 20 settings with values that differ from their defaults
    "mode": "model",
    "hotkey": "Ctrl+Alt+Q",
    "hotkey_chat": "Ctrl+Alt+1",
    "hotkey_code": "Ctrl+Alt+2",
    "hotkey_image": "Ctrl+Alt+3",
    "hotkey_multimodal": "Ctrl+Alt+4",
    "hotkeys_paused": "true",
    "capture": "copy",
    "terminal_replace": "false",
    "default_target": "code",
    "family_chat": "claude",
    "family_code": "gpt",
    "family_image": "flux",
    "image_in_english": "true",
    "provider": "anthropic",
    "base_url": "http://127.0.0.1:9/v1",
    "model": "m1",
    "fallback_to_offline": "false",
    "temperature": "0.9",
    "max_output_tokens": "77",
}
EXPECTED_VALUES = {
    **KEYS_AND_VALUES,
    "hotkeys_paused": True,
    "terminal_replace": False,
    "image_in_english": True,
    "fallback_to_offline": False,
    "temperature": 0.9,
    "max_output_tokens": 77,
}


@pytest.fixture
def modes_bind() -> list[str]:
    """A command prefix under which file modes apply to the CLI: none for a normal user; for root, a
    bounding set without the capabilities that let root ignore them (DAC override and read search)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv (util-linux), so file modes cannot be made to apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def cli(
    folder: Path, *args: str, prefix: Sequence[str] = (), timeout_s: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m rephraser ARGS` with `folder` as its config folder (after `prefix`, e.g. setpriv)."""
    completed = subprocess.run(
        [*prefix, sys.executable, "-m", "rephraser", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**os.environ, "REPHRASER_CONFIG_DIR": str(folder)},
        timeout=timeout_s,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8")
    )


def test_twenty_parallel_sets_of_different_keys_lose_none(tmp_path: Path) -> None:
    environment = {**os.environ, "REPHRASER_CONFIG_DIR": str(tmp_path)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "rephraser", "config", "set", name, value],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        for name, value in KEYS_AND_VALUES.items()
    ]
    results = [(process.wait(timeout=120), *process.communicate()) for process in processes]
    assert [(0, b"", b"")] * len(KEYS_AND_VALUES) == results
    settings = ConfigStore(tmp_path).load().settings
    assert EXPECTED_VALUES == {name: getattr(settings, name) for name in EXPECTED_VALUES}


def test_an_unreadable_file_is_never_replaced(tmp_path: Path, modes_bind: list[str]) -> None:
    path = tmp_path / "config.toml"
    original = b'model = "llama3.2"\nbase_url = "http://127.0.0.1:11434/v1"\n'
    path.write_bytes(original)
    path.chmod(0o000)
    out = cli(tmp_path, "config", "set", "temperature", "0.5", prefix=modes_bind)
    assert (
        1,
        f"rephraser: {path}: cannot be read (Permission denied); it was left unchanged. "
        "Fix its permissions (chmod u+rw) or move it away, then try again.\n",
    ) == (out.returncode, out.stderr)
    assert (original, 0o000) == (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
    got = cli(tmp_path, "config", "get", "model", prefix=modes_bind)
    assert (
        0,
        "\n",
        f"rephraser: warning: {path}: cannot be read (Permission denied); using defaults. "
        "Fix its permissions (chmod u+rw) or move it away.\n",
    ) == (got.returncode, got.stdout, got.stderr)


def test_a_folder_named_config_toml_gets_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    out = cli(tmp_path, "config", "set", "mode", "model")
    assert (
        1,
        f"rephraser: {path}: a folder, not a file; it was left unchanged. Move it away, then try again.\n",
    ) == (out.returncode, out.stderr)
    got = cli(tmp_path, "config", "get", "mode")
    assert (0, "offline\n", f"rephraser: warning: {path}: a folder, not a file; using defaults. Move it away.\n") == (
        got.returncode,
        got.stdout,
        got.stderr,
    )
    assert path.is_dir()


@pytest.mark.parametrize(
    ("content", "problem", "fix"),
    [
        (b'model = "caf\xe9"\n', "not UTF-8 text (invalid byte at position 12)", "Convert it to UTF-8 or move it away"),
        (
            b'model = "llama3.2"\nmode = model\n',
            "not valid TOML (Invalid value (at line 2, column 8))",
            "Fix it or move it away",
        ),
        (
            b"mode = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
            "not valid TOML (nested too deeply)",
            "Fix it or move it away",
        ),
    ],
    ids=["not-utf-8", "not-toml", "nested-too-deeply"],
)
def test_a_file_that_does_not_parse_is_never_replaced(tmp_path: Path, content: bytes, problem: str, fix: str) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    out = cli(tmp_path, "config", "set", "temperature", "0.5")
    assert (1, f"rephraser: {path}: {problem}; it was left unchanged. {fix}, then try again.\n") == (
        out.returncode,
        out.stderr,
    )
    assert content == path.read_bytes()
    assert [] == list(tmp_path.glob("*.bak"))


@pytest.mark.parametrize("saved_before", [False, True], ids=["first-save", "lock-file-exists"])
def test_a_read_only_folder_gets_one_clear_line(tmp_path: Path, modes_bind: list[str], saved_before: bool) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    path = folder / "config.toml"
    if saved_before:
        assert 0 == cli(folder, "config", "set", "model", "first").returncode
    else:
        path.write_bytes(b'model = "first"\n')
    original = path.read_bytes()
    folder.chmod(0o555)
    out = cli(folder, "config", "set", "model", "second", prefix=modes_bind)
    folder.chmod(0o755)
    assert (
        1,
        f"rephraser: {path}: cannot be saved (no permission to write in {folder}); it was left unchanged. "
        f"Make the folder writable (chmod u+w {folder}), then try again.\n",
    ) == (out.returncode, out.stderr)
    assert original == path.read_bytes()


def _unshare_command(mount_point: Path) -> list[str] | None:
    """`unshare` options that give a private mount namespace where a tmpfs can be mounted, or None."""
    if not shutil.which("unshare"):
        return None
    command = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--mount", "--map-root-user"]
    probe = subprocess.run(
        [*command, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return command if probe.returncode == 0 else None


def test_a_full_disk_gets_one_clear_line_and_keeps_the_file(tmp_path: Path) -> None:
    """The config folder is a 256 KB tmpfs, filled up after the first save (a real ENOSPC)."""
    folder = tmp_path / "config"
    folder.mkdir()
    command = _unshare_command(folder)
    if command is None:
        pytest.skip("needs `unshare --mount` and a tmpfs mount (root, or unprivileged user namespaces)")
    rephraser = shlex.join([sys.executable, "-m", "rephraser"])
    script = f"""
        set -e
        mount -t tmpfs -o size=256k tmpfs {folder}
        {rephraser} config set model first
        cat /dev/zero > {folder}/filler 2>/dev/null || true
        set +e
        {rephraser} config set model second 2> {tmp_path}/stderr.txt
        echo $? > {tmp_path}/exit.txt
        cp {folder}/config.toml {tmp_path}/after.toml
        ls -A {folder} > {tmp_path}/listing.txt
    """
    environment = {**os.environ, "REPHRASER_CONFIG_DIR": str(folder)}
    subprocess.run([*command, "sh", "-c", script], env=environment, timeout=120, check=True)
    path = folder / "config.toml"
    assert (
        "1\n",
        f"rephraser: {path}: cannot be saved (the disk is full); it was left unchanged. "
        "Free some space, then try again.\n",
    ) == ((tmp_path / "exit.txt").read_text(), (tmp_path / "stderr.txt").read_text())
    after = (tmp_path / "after.toml").read_text(encoding="utf-8")
    assert 'model = "first"\n' in after
    assert ["cache", "config.toml", "config.toml.lock", "filler"] == sorted(
        (tmp_path / "listing.txt").read_text().split()
    )


def test_set_keeps_comments_order_and_unknown_keys_and_names_them(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "# my settings\n"
        'mode = "model"   # the endpoint at work\n'
        "tempreature = 1.0\n"
        "\n"
        "# terminals get code prompts\n"
        "[[app_rules]]\n"
        'match = "^kitty$"\n'
        'target = "code"\n',
        encoding="utf-8",
    )
    out = cli(tmp_path, "config", "set", "temperature", "0.5")
    assert (
        0,
        f'rephraser: warning: {path}: unknown setting "tempreature" ignored. Did you mean "temperature"?\n',
    ) == (out.returncode, out.stderr)
    assert 0 == cli(tmp_path, "config", "set", "mode", "offline").returncode
    assert (
        "# my settings\n"
        'mode = "offline"   # the endpoint at work\n'
        "tempreature = 1.0\n"
        "schema_version = 1\n"
        "temperature = 0.5\n"
        "\n"
        "# terminals get code prompts\n"
        "[[app_rules]]\n"
        'match = "^kitty$"\n'
        'target = "code"\n'
    ) == path.read_text(encoding="utf-8")
    assert ["config.toml", "config.toml.lock"] == sorted(p.name for p in tmp_path.iterdir() if p.name != "cache")


def test_a_flat_file_gets_new_keys_with_their_description(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\nmodel = "llama3.2"\n', encoding="utf-8")
    assert 0 == cli(tmp_path, "config", "set", "base_url", "http://127.0.0.1:11434/v1").returncode
    assert (
        '# mine\nmodel = "llama3.2"\n'
        "\n# Version of this file's layout. Do not edit.\nschema_version = 1\n"
        '\n# Endpoint URL; empty means the provider\'s public API.\nbase_url = "http://127.0.0.1:11434/v1"\n'
    ) == path.read_text(encoding="utf-8")


def test_a_symlinked_config_stays_a_symlink(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "rephraser.toml").write_text('mode = "model"\n', encoding="utf-8")
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "config.toml").symlink_to("../dotfiles/rephraser.toml")
    out = cli(folder, "config", "set", "model", "llama3.2")
    assert (0, "") == (out.returncode, out.stderr)
    assert "../dotfiles/rephraser.toml" == os.readlink(folder / "config.toml")
    assert 'mode = "model"\n\n# Version of this file' in (dotfiles / "rephraser.toml").read_text(encoding="utf-8")
    assert ("model", "llama3.2") == (
        ConfigStore(folder).load().settings.mode,
        ConfigStore(folder).load().settings.model,
    )
    assert ["rephraser.toml"] == [p.name for p in dotfiles.iterdir()]


def test_an_oversized_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    content = "".join(f"key{number} = {number}\n" for number in range(200_000)).encode()  # 3.58 MB
    path.write_bytes(content)
    out = cli(tmp_path, "config", "set", "model", "x", timeout_s=30)
    assert (
        1,
        f"rephraser: {path}: 3.58 MB, over the 256 KB limit for a config file; it was left unchanged. "
        "Trim it or move it away, then try again.\n",
    ) == (out.returncode, out.stderr)
    got = cli(tmp_path, "config", "get", "mode", timeout_s=30)
    assert (
        0,
        "offline\n",
        f"rephraser: warning: {path}: 3.58 MB, over the 256 KB limit for a config file; using defaults. "
        "Trim it or move it away.\n",
    ) == (got.returncode, got.stdout, got.stderr)
    assert content == path.read_bytes()


def test_warnings_stop_after_twenty(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("".join(f"qqq{number} = {number}\n" for number in range(100)), encoding="utf-8")
    got = cli(tmp_path, "config", "get", "mode")
    expected = [f'rephraser: warning: {path}: unknown setting "qqq{number}" ignored.' for number in range(20)]
    assert [*expected, f"rephraser: warning: {path}: and 80 more problem(s) not shown."] == got.stderr.splitlines()


def test_only_saving_imports_tomlkit(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('mode = "offline"\n', encoding="utf-8")
    environment = {**os.environ, "REPHRASER_CONFIG_DIR": str(tmp_path)}

    def imported(*args: str) -> set[str]:
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "rephraser", *args],
            input=b"cat astronaut moon cool",
            capture_output=True,
            env=environment,
            timeout=60,
            check=True,
        )
        lines = completed.stderr.decode().splitlines()
        return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in lines if line.startswith("import time:")}

    assert "tomlkit" not in imported("rewrite", "--offline")
    assert "tomlkit" in imported("config", "set", "mode", "offline")

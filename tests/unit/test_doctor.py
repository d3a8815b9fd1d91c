"""`rephraser doctor` as a real process: offline mode never fails on the endpoint it does not use."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

NO_DESKTOP = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}


def test_offline_mode_passes_with_an_endpoint_that_cannot_work(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'schema_version = 1\nmode = "offline"\nbase_url = "http://999.1.1.1:9999/v1"\n', encoding="utf-8"
    )
    out = run_cli("doctor", env={**NO_DESKTOP, "OPENAI_API_KEY": "sk-test-not-a-key"})
    lines = out.stdout.splitlines()
    assert (0, "") == (out.returncode, out.stderr)
    assert "base URL: http://999.1.1.1:9999/v1" in lines
    assert "endpoint: not used in offline mode (`rephraser config set mode model` to use it)" == lines[-1]


def test_doctor_never_shows_the_base_urls_credentials(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(
        'schema_version = 1\nmode = "offline"\nbase_url = "http://alice:s3cret-pass@127.0.0.1:9/v1?api_key=k9k9k9"\n',
        encoding="utf-8",
    )
    out = run_cli("doctor", env=NO_DESKTOP)
    assert "base URL: http://127.0.0.1:9/v1?api_key=***" in out.stdout.splitlines()
    assert "s3cret-pass" not in out.stdout + out.stderr
    assert "k9k9k9" not in out.stdout + out.stderr


def test_doctor_says_how_full_the_history_is_and_when_it_is_off_or_damaged(config_dir: Path) -> None:
    from rephraser.core.history import History, HistoryEntry

    path = config_dir / "data" / "history.sqlite3"
    history = History(path, 500, 5_000_000)
    history.add(HistoryEntry("a fox", "Subject: a fox", "image", "image", "offline"))
    history.close()
    lines = run_cli("doctor", env=NO_DESKTOP).stdout.splitlines()
    assert f"history: 1 of at most 500 rewrites in {path}" in lines
    path.write_bytes(b"\x00damaged" * 400)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    damaged = run_cli("doctor", env=NO_DESKTOP)
    assert 0 == damaged.returncode  # rewrites work without a history
    assert [f"history: The history file {path} is damaged"] == [
        line.split(" (")[0] for line in damaged.stdout.splitlines() if line.startswith("history:")
    ]
    (config_dir / "config.toml").write_text("history = false\n", encoding="utf-8")
    assert "history: off" in run_cli("doctor", env=NO_DESKTOP).stdout.splitlines()


def test_the_preview_line_says_whether_rewrites_are_shown_first() -> None:
    from rephraser.cli.doctor import _preview_line
    from rephraser.core.config.schema import Settings

    assert [
        "preview: model (shown without taking the focus; Enter pastes, Esc cancels)",
        "preview: off (preview = model in offline mode)",
        "preview: always (shown without taking the focus; Enter pastes, Esc cancels)",
        "preview: not on this desktop yet (no window can float here without the focus); rewrites paste at once",
    ] == [
        _preview_line(Settings(mode="model"), floating=True),
        _preview_line(Settings(), floating=True),
        _preview_line(Settings(preview="always"), floating=True),
        _preview_line(Settings(mode="model"), floating=False),
    ]

"""The command line as a real process: output, exit codes, and one clear line per error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rephraser import __version__
from rephraser.core.text_input import MAX_INPUT_BYTES
from tests.conftest import REPO, run_cli

BUILTINS = [p for p in (REPO / "prompt_templates").glob("*.j2") if not p.name.startswith("_")]


def test_acceptance_image(config_dir: Path) -> None:
    out = run_cli("rewrite", "--json", stdin="cat astronaut moon cool\n")
    assert 0 == out.returncode, out.stderr
    result = json.loads(out.stdout)
    assert ("image", "image", "offline", "en") == (
        result["target"],
        result["template"],
        result["mode"],
        result["language"],
    )
    assert result["reason"].startswith("text: visual-nouns")
    assert result["text"].startswith("Subject: cat astronaut moon cool\n")


def test_acceptance_code(config_dir: Path) -> None:
    out = run_cli("rewrite", "--json", stdin="python func dedupe list keep order fast\n")
    result = json.loads(out.stdout)
    assert "code" == result["target"]
    assert "python func dedupe list keep order fast" in result["text"]
    assert "" == out.stderr


def test_plain_output_is_the_rewrite_and_a_newline(config_dir: Path) -> None:
    out = run_cli("rewrite", "--target", "image", stdin="a fox, 16:9")
    assert out.stdout.startswith("Subject: a fox, 16:9\n")
    assert out.stdout.endswith("Exclude: [what must not appear]\n")


def test_app_hint_from_the_command_line(config_dir: Path) -> None:
    out = run_cli("rewrite", "--json", "--app", "evince", stdin="summarize the key findings")
    assert ("multimodal", 'app rule "document-viewer" (evince)') == (
        json.loads(out.stdout)["target"],
        json.loads(out.stdout)["reason"],
    )


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "rephraser: There is no text to rewrite: select some text (or pipe it in) and try again.\n"),
        (b"  \n ", "rephraser: There is no text to rewrite: select some text (or pipe it in) and try again.\n"),
        (
            b"ab\xffcd",
            "rephraser: The input is not UTF-8 text (invalid byte at position 2). Convert it to UTF-8 and try again.\n",
        ),
        (b"\x00\x01PNG", "rephraser: The input looks like binary data, not text. Select text and try again.\n"),
        (
            b"a" * (MAX_INPUT_BYTES + 5),
            "rephraser: The text is 100,005 bytes; Rephraser rewrites at most 100 KB at a time. Select a shorter "
            "passage.\n",
        ),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_1(config_dir: Path, stdin: bytes, message: str) -> None:
    out = run_cli("rewrite", stdin=stdin)
    assert (1, "", message) == (out.returncode, out.stdout, out.stderr)


def test_usage_errors_exit_2(config_dir: Path) -> None:
    out = run_cli("rewrite", "--target", "video", stdin="x")
    assert 2 == out.returncode
    assert "invalid choice: 'video'" in out.stderr
    assert 2 == run_cli("frobnicate").returncode
    assert 2 == run_cli("templates").returncode


def test_unknown_template_exit_1(config_dir: Path) -> None:
    out = run_cli("rewrite", "--template", "imag", stdin="x")
    assert (
        1,
        'rephraser: No template named "imag". Did you mean "image"? '
        "See `rephraser templates list` for the available ones.\n",
    ) == (
        out.returncode,
        out.stderr,
    )


def test_version() -> None:
    assert f"rephraser {__version__}\n" == run_cli("--version").stdout


def test_bare_command_without_a_display_says_what_is_needed(config_dir: Path) -> None:
    out = run_cli(env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert (1, "rephraser: No X11 display (DISPLAY is not set).") == (
        out.returncode,
        out.stderr.split(" Rephraser's")[0],
    )
    assert 1 == len(out.stderr.splitlines())


def test_trigger_without_a_running_app(config_dir: Path) -> None:
    out = run_cli("trigger")
    assert (1, "rephraser: Rephraser is not running: start it with `rephraser run`.\n") == (out.returncode, out.stderr)


def test_templates_list_and_show(config_dir: Path) -> None:
    (config_dir / "templates").mkdir()
    (config_dir / "templates" / "chat.j2").write_text(
        '{#\n[template]\ntarget = "chat"\ndescription = "Mine"\n#}\nx', encoding="utf-8"
    )
    listing = run_cli("templates", "list").stdout.splitlines()
    assert len(BUILTINS) == len(listing)
    assert listing[0].split()[:5] == ["chat", "chat", "user,", "overrides", "built-in"]
    assert ["chat-claude", "chat", "built-in"] == listing[1].split()[:3]
    shown = run_cli("templates", "show", "image")
    assert shown.stdout.startswith('{#\n[template]\ntarget = "image"')


def test_templates_check_reports_file_and_line(config_dir: Path, tmp_path: Path) -> None:
    assert f"{len(BUILTINS)} template(s) OK\n" == run_cli("templates", "check").stdout
    broken = tmp_path / "broken.j2"
    broken.write_text(
        '{% extends "_base.j2" %}\n{% block offline %}\n{{ a.nonexistent_slot }}\n{% endblock %}\n', encoding="utf-8"
    )
    bad_syntax = tmp_path / "syntax.j2"
    bad_syntax.write_text("ok\n{% for x in %}\n", encoding="utf-8")
    out = run_cli("templates", "check", str(broken), str(bad_syntax))
    assert 1 == out.returncode
    lines = out.stderr.splitlines()
    assert lines[0].startswith(f"{broken}:3: ")
    assert "nonexistent_slot" in lines[0]
    assert lines[1].startswith(f"{bad_syntax}:2: ")


def test_config_commands(config_dir: Path) -> None:
    assert f"{config_dir / 'config.toml'}\n" == run_cli("config", "path").stdout
    assert "offline\n" == run_cli("config", "get", "mode").stdout
    assert 0 == run_cli("config", "set", "default_target", "code").returncode
    assert "code\n" == run_cli("config", "get", "default_target").stdout
    assert 'default_target = "code"' in run_cli("config", "list").stdout.splitlines()
    out = run_cli("config", "set", "default_target", "video")
    assert (
        1,
        'rephraser: default_target = "video" is not allowed: '
        'use one of "auto", "chat", "code", "image", "multimodal".\n',
    ) == (
        out.returncode,
        out.stderr,
    )
    assert 1 == run_cli("config", "get", "nope").returncode


def test_corrupt_config_warns_but_the_rewrite_still_works(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text("mode = [oops", encoding="utf-8")
    out = run_cli("rewrite", "--target", "chat", stdin="hello")
    assert 0 == out.returncode
    assert out.stderr.startswith(f"rephraser: warning: {config_dir / 'config.toml'}: not valid TOML")
    assert 1 == len(out.stderr.splitlines())

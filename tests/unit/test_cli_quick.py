"""The commands a desktop shortcut runs skip the parser in their plain forms and still send exactly the
request the full CLI sends, to a real socket."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

from rephraser.cli.quick import quick_command


def test_only_the_plain_forms_skip_the_parser() -> None:
    taken = [["trigger"], ["trigger", "--target", "code"], ["hotkey", "cancel"], ["revert"]]
    parsed = [
        ["trigger", "--target", "bogus"],
        ["trigger", "--help"],
        ["hotkey"],
        ["hotkey", "--help"],
        ["revert", "--help"],
        ["run"],
        [],
    ]
    assert [True] * 4 == [quick_command(words) is not None for words in taken]
    assert [False] * 7 == [quick_command(words) is not None for words in parsed]


def _serve_one(path: Path, reply: bytes, requests: list[dict[str, object]]) -> threading.Thread:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)

    def serve() -> None:
        with listener:
            client, _address = listener.accept()
            with client:
                requests.append(json.loads(client.makefile("rb").readline()))
                client.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def _run(config: Path, *words: str, reply: bytes = b'{"ok": true}\n') -> tuple[int, str, list[dict[str, object]]]:
    (config / "run").mkdir(mode=0o700, exist_ok=True)
    requests: list[dict[str, object]] = []
    server = _serve_one(config / "run" / "rephraser.sock", reply, requests)
    out = subprocess.run(
        [sys.executable, "-m", "rephraser", *words],
        env={"REPHRASER_CONFIG_DIR": str(config), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    server.join(timeout=30)
    (config / "run" / "rephraser.sock").unlink()
    return out.returncode, out.stderr, requests


def test_the_requests_are_the_full_clis(tmp_path: Path) -> None:
    assert (0, "", [{"command": "trigger"}]) == _run(tmp_path, "trigger")
    assert (0, "", [{"command": "trigger", "target": "code"}]) == _run(tmp_path, "trigger", "--target", "code")
    assert (0, "", [{"command": "hotkey", "name": "main"}]) == _run(tmp_path, "hotkey", "main")
    assert (0, "", [{"command": "revert"}]) == _run(tmp_path, "revert")


def test_a_refused_request_is_one_line_and_exit_1(tmp_path: Path) -> None:
    refused = b'{"ok": false, "error": "no hotkey called \'nope\' is set"}\n'
    code, err, _ = _run(tmp_path, "hotkey", "nope", reply=refused)
    said = "rephraser: The running Rephraser did not take the hotkey: no hotkey called 'nope' is set.\n"
    assert (1, said) == (code, err)
    nothing = b'{"ok": false, "error": "a rewrite is running, or there is none to revert"}\n'
    said = "rephraser: The running Rephraser did not revert: a rewrite is running, or there is none to revert.\n"
    assert (1, said) == _run(tmp_path, "revert", reply=nothing)[:2]

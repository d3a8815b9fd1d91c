"""How `rephraser rewrite` reads stdin, as a real process: encodings by byte order mark, and a too-large
input named by its real size where stdin is a file (a pipe is read only as far as the limit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

TOO_LARGE = "Rephraser rewrites at most 100 KB at a time. Select a shorter passage.\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "a fox in the snow, 16:9".encode("utf-16-le"),
        b"\xfe\xff" + "a fox in the snow, 16:9".encode("utf-16-be"),
        b"\xef\xbb\xbf" + b"a fox in the snow, 16:9",
    ],
)
def test_byte_order_marked_text_is_rewritten(config_dir: Path, data: bytes) -> None:
    out = run_cli("rewrite", "--offline", "--target", "image", stdin=data)
    assert (0, "Subject: a fox in the snow, 16:9") == (out.returncode, out.stdout.splitlines()[0]), out.stderr


def test_a_10_mb_pipe_says_what_is_certain(config_dir: Path) -> None:
    out = run_cli("rewrite", "--offline", stdin=b"a" * 10_000_000)
    assert (1, f"rephraser: The text is more than 100 KB; {TOO_LARGE}") == (out.returncode, out.stderr)


def test_a_10_mb_file_says_its_size(config_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 10_000_000)
    with big.open("rb") as stdin:
        out = subprocess.run(
            [sys.executable, "-m", "rephraser", "rewrite", "--offline"],
            stdin=stdin,
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=60,
            check=False,
        )
    assert (1, f"rephraser: The text is 10.0 MB; {TOO_LARGE}") == (out.returncode, out.stderr)

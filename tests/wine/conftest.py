"""Wine on a private Xvfb, with the C checks built by mingw-w64: the Win32 behaviour the Windows back-ends
rely on, run for real (Wine 8 on Debian 12), not against a fake."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.xserver import start_x_server

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def win32_checks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], dict[str, Any]]]:
    """run(mode) -> the JSON line that mode of win32_checks.exe printed under Wine."""
    folder = tmp_path_factory.mktemp("wine")
    program = folder / "win32_checks.exe"
    subprocess.run(
        ["x86_64-w64-mingw32-gcc", "-O1", "-Wall", "-Werror", "-o", str(program), str(HERE / "win32_checks.c")],
        check=True,
        timeout=120,
    )
    server = start_x_server()
    env = {
        **server.env,
        "WINEPREFIX": str(folder / "prefix"),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono or Gecko installer dialogs in a fresh prefix
        "HOME": str(folder),
    }
    subprocess.run(["wine", "wineboot", "-i"], env=env, capture_output=True, timeout=300, check=True)

    def run(mode: str) -> dict[str, Any]:
        done = subprocess.run(["wine", str(program), mode], env=env, capture_output=True, text=True, timeout=120)
        assert 0 == done.returncode, (mode, done.returncode, done.stdout, done.stderr[-2000:])
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    try:
        yield run
    finally:
        subprocess.run(["wineserver", "-k"], env=env, capture_output=True, timeout=60, check=False)
        server.stop()

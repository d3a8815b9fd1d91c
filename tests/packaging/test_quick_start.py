"""The README's Quick start, run verbatim: it must work for root, who often has no sudo (containers,
fresh servers), as well as for a user with sudo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def quick_start_command() -> str:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    match = re.search(r"```sh\n(.+?)\n```", section, re.DOTALL)
    assert match is not None, "the Quick start section has no sh block"
    return match.group(1)


@pytest.mark.skipif(os.geteuid() != 0, reason="the root path; a user's sudo would ask for a password")
def test_quick_start_installs_and_starts_as_root_without_sudo(tmp_path: Path) -> None:
    # A PATH without sudo, as on a machine that never had it.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")}
    env |= {"HOME": str(tmp_path), "PATH": _path_without("sudo"), "REPHRASER_CONFIG_DIR": str(tmp_path / "config")}
    env["DEBIAN_FRONTEND"] = "noninteractive"
    done = subprocess.run(
        ["bash", "-c", quick_start_command()],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    # Everything installed; the app itself then says, in one line, that this test has no display.
    assert (tmp_path / ".local/share/rephraser/venv/bin/rephraser").is_file(), done.stderr[-3000:]
    last = done.stderr.strip().splitlines()[-1]
    assert (1, "rephraser: No X11 display (DISPLAY is not set).") == (done.returncode, last.split(" Rephraser's")[0])


def _path_without(program: str) -> str:
    """The current PATH minus every folder that holds `program`."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    kept = [folder for folder in folders if not (Path(folder) / program).exists()]
    assert shutil.which(program, path=os.pathsep.join(kept)) is None
    return os.pathsep.join(kept)

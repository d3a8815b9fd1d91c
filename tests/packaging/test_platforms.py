"""`pip install .` pulls only what each platform needs (environment markers), and every one of those
requirements has a wheel for Windows and macOS. pip evaluates markers for the running interpreter even with
--platform, so the markers are evaluated here for each target, and pip then resolves that list for the
target's wheels (a dry run: it reads the wheels' metadata, it installs nothing)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

pytestmark = pytest.mark.slow

TARGETS = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macosx_11_0_arm64": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}


def requirements_for(environment: dict[str, str]) -> list[str]:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    wanted = []
    for text in declared:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({**environment, "python_version": "3.11"}):
            wanted.append(str(requirement).split(";")[0].strip())
    return wanted


@pytest.mark.parametrize("platform", sorted(TARGETS))
def test_each_platform_gets_its_own_requirements_and_all_have_wheels(platform: str, tmp_path: Path) -> None:
    wanted = requirements_for(TARGETS[platform])
    assert not any(name.startswith("python-xlib") for name in wanted)  # the X11 keeper is Linux's alone
    report = tmp_path / "report.json"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed"),
            *("--only-binary=:all:", "--platform", platform, "--python-version", "3.11", "--implementation", "cp"),
            *("--target", str(tmp_path / "target"), "--report", str(report), *wanted),
        ],
        check=True,
        timeout=600,
    )
    resolved = {canonicalize_name(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]}
    assert {"pyside6-essentials", "keyring", "httpx", "jinja2", "platformdirs", "tomlkit", "pillow"} <= resolved
    assert "python-xlib" not in resolved
    mac_only = {"pyobjc-framework-cocoa", "pyobjc-framework-quartz"}
    assert (mac_only <= resolved) == (platform.startswith("macosx")), resolved & mac_only


def test_linux_keeps_python_xlib() -> None:
    assert any(name.startswith("python-xlib") for name in requirements_for({"sys_platform": "linux"}))

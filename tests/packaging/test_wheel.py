"""`pip install .` into a fresh venv gives a working app: templates and resources travel in the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        check=True,
        timeout=600,
    )
    (built,) = dist.glob("rephraser-*.whl")
    return built


def test_wheel_carries_templates_and_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "rephraser/_data/prompt_templates/_base.j2",
        "rephraser/_data/prompt_templates/chat.j2",
        "rephraser/_data/prompt_templates/multimodal.j2",
        "rephraser/_data/resources/rephraser.svg",
        "rephraser/_data/resources/rephraser.desktop",
        "rephraser/core/detection_rules.toml",
        "rephraser/core/lang/shared.toml",
        *(f"rephraser/core/lang/{pack.name}" for pack in (REPO / "rephraser" / "core" / "lang").glob("*.toml")),
    ):
        assert expected in names


def test_installed_wheel_rewrites_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)], check=True, timeout=900)
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(tmp_path / "config")}
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [str(bin_dir / "rephraser"), "rewrite", "--json"],
        input=b"cat astronaut moon cool",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    result = json.loads(out.stdout)
    assert ("image", "offline") == (result["target"], result["mode"])
    listing = subprocess.run(
        [str(bin_dir / "rephraser"), "templates", "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    builtins = [p for p in (REPO / "prompt_templates").glob("*.j2") if not p.name.startswith("_")]
    assert f"{len(builtins)} template(s) OK\n" == listing.stdout
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "from rephraser.core.resources import builtin_templates_dir as d; print(d())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert "site-packages/rephraser/_data/prompt_templates" in where.stdout

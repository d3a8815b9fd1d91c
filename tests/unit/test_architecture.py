"""The core and the offline CLI stay free of Qt and of the model path's imports."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import rephraser.core

PROBE = """
import importlib, json, pkgutil, sys
import rephraser.core
names = [m.name for m in pkgutil.walk_packages(rephraser.core.__path__, "rephraser.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "modules": sorted(sys.modules)}))
"""


def _probe(code: str) -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return dict(json.loads(out.stdout))


def test_every_core_module_imports_without_qt() -> None:
    result = _probe(PROBE)
    expected = sorted(m.name for m in pkgutil.walk_packages(rephraser.core.__path__, "rephraser.core."))
    assert expected == sorted(result["imported"])
    assert [] == [m for m in result["modules"] if m.startswith("PySide6")]


def test_offline_cli_path_imports_neither_qt_nor_httpx() -> None:
    code = (
        "import io, json, sys\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'cat astronaut moon cool'))\n"
        "from rephraser.cli import main\n"
        "import contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['rewrite', '--offline'])\n"
        "print(json.dumps({'imported': [str(code)], 'modules': sorted(sys.modules)}))\n"
    )
    result = _probe(code)
    assert ["0"] == result["imported"]
    heavy = [m for m in result["modules"] if m.split(".")[0] in {"PySide6", "httpx", "keyring", "httpcore"}]
    assert [] == heavy

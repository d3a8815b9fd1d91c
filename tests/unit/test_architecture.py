"""The core and the offline CLI stay free of Qt and of the model path's imports; the layers import only
downwards (cli and desktop meet in the composition root); causes are never hidden without a reason."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import rephraser
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


# Who may import whom (a module's own package aside): cli and desktop meet only in rephraser.composition.
FORBIDDEN = {
    "rephraser.core": ("rephraser.cli", "rephraser.desktop", "rephraser.platform", "rephraser.composition"),
    "rephraser.platform": ("rephraser.cli", "rephraser.desktop", "rephraser.composition"),
    "rephraser.cli": ("rephraser.desktop",),
    "rephraser.desktop": ("rephraser.cli",),
}


def _imports(path: Path) -> set[str]:
    """Every absolute module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_layers_import_only_downwards() -> None:
    root = Path(rephraser.__file__).parent
    broken = []
    for path in sorted(root.rglob("*.py")):
        module = "rephraser." + ".".join(path.relative_to(root).with_suffix("").parts)
        for layer, banned in FORBIDDEN.items():
            if module == layer or module.startswith(layer + "."):
                broken += [
                    f"{module} imports {name}"
                    for name in sorted(_imports(path))
                    if any(name == b or name.startswith(b + ".") for b in banned)
                ]
    assert [] == broken


def test_raise_from_none_only_where_secrecy_says_why() -> None:
    root = Path(rephraser.__file__).parent
    hidden = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.rstrip().endswith("from None"):
                before = "\n".join(lines[max(0, number - 8) : number])
                if "for secrecy" not in before:
                    hidden.append(f"{path.relative_to(root)}:{number + 1}")
    assert [] == hidden


def test_only_the_platform_factory_looks_at_the_platform() -> None:
    root = Path(rephraser.__file__).parent
    looking = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "sys.platform" in path.read_text(encoding="utf-8") or "platform.system(" in path.read_text(encoding="utf-8")
    )
    assert ["platform/__init__.py"] == looking

"""The README's examples are the tool's real output, not hand-written."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import REPO


def _make_examples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", REPO / "docs" / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _between(marker: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- {marker}:start -->\n", 1)[1].split(f"\n<!-- {marker}:end -->", 1)[0]


def test_readme_examples_match_the_tool() -> None:
    assert _make_examples().examples_markdown() == _between("examples")


def test_readme_judge_examples_are_the_tools_verdicts() -> None:
    assert _make_examples().strengths_markdown() == _between("judge")

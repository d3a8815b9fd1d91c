"""The README's examples are the tool's real output, not hand-written."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO


def test_readme_examples_match_the_tool() -> None:
    spec = importlib.util.spec_from_file_location("make_examples", REPO / "docs" / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- examples:start -->\n", 1)[1].split("\n<!-- examples:end -->", 1)[0]
    assert module.examples_markdown() == between


def test_readme_judge_examples_are_the_tools_verdicts() -> None:
    spec = importlib.util.spec_from_file_location("make_examples", REPO / "docs" / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- judge:start -->\n", 1)[1].split("\n<!-- judge:end -->", 1)[0]
    assert module.strengths_markdown() == between

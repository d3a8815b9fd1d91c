"""The quality suite's fast form: offline mode over the whole labelled corpus must meet the acceptance bar."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rephraser.composition import build_core
from rephraser.core.language import detect_language
from tests.conftest import REPO


def _quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quality", REPO / "bench" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    quality = _quality()
    core = build_core(tmp_path_factory.mktemp("config"))
    return dict(quality.evaluate(quality.load_corpus(), core.rewriter.offline, "offline"))


def test_corpus_is_large_varied_and_has_every_kind_of_item() -> None:
    items = _quality().load_corpus()
    assert len(items) >= 300
    assert len(Counter(detect_language(item.text) for item in items)) >= 10
    assert sum(1 for item in items if item.answer) >= 20
    assert sum(1 for item in items if item.canary) >= 15
    assert sum(1 for item in items if item.app) >= 50
    assert {"midjourney", "sdxl", "flux", "dalle", "ideogram", "claude", "gpt"} <= {item.family for item in items}


def test_offline_meets_the_acceptance_bar(report: dict[str, Any]) -> None:
    assert [] == [p for p in report["problems"]]
    assert 1.0 == report["fact recall"]
    assert 0 == report["invented specifics"]
    assert 1.0 == report["language kept"]
    assert 0 == report["answered instead of rewrote"]
    assert 0 == report["canary leaks"]
    assert 1.0 == report["syntax validity"]
    assert report["target accuracy"] >= 0.95
    assert 1.0 == report["within length budget"]
    assert 1.0 == report["idempotence (mean similarity)"]


def test_syntax_checks_catch_bad_prompts() -> None:
    quality = _quality()
    assert ["--ar has an invalid value '16x9'"] == quality.syntax_problems("midjourney", "a cat --ar 16x9")
    assert ["negation 'without'"] == quality.syntax_problems("flux", "a street without people")
    assert ["no separate negative prompt"] == quality.syntax_problems("sdxl", "Subject: a cat, no dogs")


def test_invented_names_and_numbers_are_counted(tmp_path: Path) -> None:
    quality = _quality()
    item = quality.Item("what is the capital of france", "chat")
    assert ["1889", "Paris"] == quality.invented(
        item, "The capital is Paris since 1889.", quality.scaffold_vocabulary()
    )

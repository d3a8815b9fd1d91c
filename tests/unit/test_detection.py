from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rephraser.core.config import AppRule
from rephraser.core.detection import TargetDetector, load_rules
from rephraser.core.language import detect_language
from rephraser.core.targets import Target

DATA = Path(__file__).resolve().parent.parent / "data" / "detection.jsonl"


def _labelled() -> list[dict[str, str]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def detector() -> TargetDetector:
    return TargetDetector(load_rules())


def test_labelled_set_is_large_and_varied() -> None:
    rows = _labelled()
    languages = Counter(detect_language(row["text"]) for row in rows)
    assert len(rows) >= 200
    assert len(languages) >= 12
    assert sum(1 for row in rows if row.get("app")) >= 50
    assert {t.value for t in Target} == {row["target"] for row in rows}


def test_accuracy_on_the_labelled_set_is_at_least_95_percent(detector: TargetDetector) -> None:
    rows = _labelled()
    wrong = [row for row in rows if detector.detect(row["text"], row.get("app", "")).target != row["target"]]
    assert len(wrong) <= 0.05 * len(rows), wrong


@pytest.mark.parametrize(
    ("text", "target"),
    [("cat astronaut moon cool", Target.IMAGE), ("python func dedupe list keep order fast", Target.CODE)],
)
def test_the_two_acceptance_examples(detector: TargetDetector, text: str, target: Target) -> None:
    assert target == detector.detect(text).target


def test_reason_names_the_rule_and_the_words(detector: TargetDetector) -> None:
    result = detector.detect("python func dedupe list keep order fast")
    assert "text: programming-language (python); code-words (dedupe, func)" == result.reason


def test_strong_app_hint_decides_ambiguous_text(detector: TargetDetector) -> None:
    result = detector.detect("make it shorter", "jetbrains-pycharm")
    assert (Target.CODE, 'app rule "code-editor" (jetbrains-pycharm)') == (result.target, result.reason)


def test_decisive_text_overrides_a_strong_app_hint(detector: TargetDetector) -> None:
    assert Target.CHAT == detector.detect("write an email to the team announcing the outage is fixed", "xterm").target


def test_weak_app_hint_yields_to_any_clear_text(detector: TargetDetector) -> None:
    assert Target.IMAGE == detector.detect("sunset over the ocean", "discord").target
    assert Target.CHAT == detector.detect("hey can you review my pr today", "discord").target


def test_no_evidence_falls_back_to_chat(detector: TargetDetector) -> None:
    result = detector.detect("hmm")
    assert (Target.CHAT, "no evidence: fallback target") == (result.target, result.reason)


def test_user_rules_come_first_and_always_wins_over_text() -> None:
    detector = TargetDetector(load_rules(), (AppRule(match="^xterm$", target="image", strength="always"),))
    result = detector.detect("python func dedupe", "xterm")
    assert (Target.IMAGE, 'app rule "app_rules[1]" (xterm)') == (result.target, result.reason)


def test_user_rule_without_target_leaves_detection_to_the_text() -> None:
    detector = TargetDetector(load_rules(), (AppRule(match="obsidian", template="notes"),))
    result = detector.detect("draw a cute owl", "obsidian")
    assert Target.IMAGE == result.target
    assert result.app_rule is not None
    assert "notes" == result.app_rule.template


def test_rules_cache_is_used_and_refreshed(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[keywords]]\nname = "k"\ntarget = "image"\nweight = 1\nwords = ["zebra"]\n', encoding="utf-8")
    cache = tmp_path / "cache"
    first = TargetDetector(load_rules(rules, cache))
    assert Target.IMAGE == first.detect("zebra").target
    assert (cache / "detection_rules.json").is_file()
    rules.write_text(
        '[[keywords]]\nname = "k"\ntarget = "code"\nweight = 1\nwords = ["zebra", "zebras"]\n', encoding="utf-8"
    )
    assert Target.CODE == TargetDetector(load_rules(rules, cache)).detect("zebras").target


def test_the_statistical_model_decides_what_no_keyword_does() -> None:
    from rephraser.core.target_model import load_model

    with_model = TargetDetector(load_rules(), model=load_model())
    result = with_model.detect("foggy harbour at dawn, fishing boats, oil painting")
    assert Target.IMAGE == result.target
    assert result.reason.startswith("text: ")
    assert "model " in result.reason
    hinted = with_model.detect("make it better", "jetbrains-pycharm")
    assert (Target.CODE, 'app rule "code-editor" (jetbrains-pycharm)') == (hinted.target, hinted.reason)

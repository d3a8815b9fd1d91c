"""The language packs (rephraser/core/lang/<code>.toml): every pack parses and has the same keys, the
docs list the languages the packs have, and the loader's JSON cache is used while fresh and ignored once
stale."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rephraser.core import lang
from rephraser.core.judge.markers import Markers
from tests.conftest import REPO

PACKS = sorted(p for p in lang.PACKS_DIR.glob("*.toml") if p.stem != lang.SHARED)


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _keys(pack: dict[str, Any]) -> set[str]:
    """section.field for every field (a scaffolding table may be empty: English headings then)."""
    return {f"{title}.{field}" for title, body in pack.items() for field in body if title != "scaffolding"}


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.stem)
def test_every_pack_has_the_sections_and_fields_of_the_english_one(path: Path) -> None:
    english, pack = _read(lang.PACKS_DIR / "en.toml"), _read(path)
    assert list(english) == list(pack)
    assert _keys(english) == _keys(pack)
    assert pack["scaffolding"] == {} or list(english["scaffolding"]) == list(pack["scaffolding"])


def test_the_judge_section_has_exactly_the_fields_of_markers() -> None:
    assert list(Markers._fields) == list(_read(lang.PACKS_DIR / "en.toml")["judge"])


def test_the_shared_file_parses_and_is_not_a_language() -> None:
    shared = _read(lang.PACKS_DIR / "shared.toml")
    assert ["programming_languages", "analysis"] == list(shared)
    assert lang.SHARED not in lang.codes()


def test_every_pack_has_its_own_rank_and_a_name() -> None:
    ranks = [_read(path)["language"]["rank"] for path in PACKS]
    assert sorted(ranks) == list(range(1, len(PACKS) + 1))
    assert all(_read(path)["language"]["name"] for path in PACKS)


def _run(code: str, config: Path) -> str:
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(config)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout.strip()


def test_packs_are_cached_as_json_and_the_cache_is_used_while_fresh(tmp_path: Path) -> None:
    show = "from rephraser.core.language import LANGUAGE_NAMES; print(LANGUAGE_NAMES['de'])"
    assert "German" == _run(show, tmp_path)
    cached = tmp_path / "cache" / "lang_core.json"
    entry = json.loads(cached.read_text(encoding="utf-8"))
    assert lang.fingerprint() == entry["key"]
    entry["data"]["de"]["language"]["name"] = "Deutsch (from the cache)"
    cached.write_text(json.dumps(entry), encoding="utf-8")
    assert "Deutsch (from the cache)" == _run(show, tmp_path)


def test_a_stale_or_broken_cache_is_parsed_again_and_rewritten(tmp_path: Path) -> None:
    show = "from rephraser.core.language import LANGUAGE_NAMES; print(LANGUAGE_NAMES['de'])"
    cached = tmp_path / "cache" / "lang_core.json"
    cached.parent.mkdir(parents=True)
    cached.write_text(json.dumps({"key": "an older pack", "data": {}}), encoding="utf-8")
    assert "German" == _run(show, tmp_path)
    assert lang.fingerprint() == json.loads(cached.read_text(encoding="utf-8"))["key"]
    cached.write_text("{not json", encoding="utf-8")
    assert "German" == _run(show, tmp_path)
    cached.write_text(json.dumps({"key": lang.fingerprint(), "data": ["ab", "cd"]}), encoding="utf-8")
    assert "German" == _run(show, tmp_path)


def _merged_fields() -> list[tuple[str, str]]:
    english = _read(lang.PACKS_DIR / "en.toml")
    return [("analysis", field) for field, value in english["analysis"].items() if isinstance(value, list)]


@pytest.mark.parametrize(("section", "field"), _merged_fields())
def test_a_joined_list_has_each_word_once(section: str, field: str) -> None:
    """A word two languages share sits in one pack (or in shared.toml): a text's own packs and their
    `related` ones count, so relatives still find it, and a word listed twice would count twice on
    texts with no clear language, where every pack counts."""
    owners: dict[str, list[str]] = {}
    for path in [lang.PACKS_DIR / "shared.toml", *PACKS]:
        for word in _read(path).get(section, {}).get(field, []):
            owners.setdefault(word, []).append(path.stem)
    assert {} == {word: packs for word, packs in owners.items() if len(packs) > 1}


def test_packs_add_words_only_to_keyword_groups_the_rules_have() -> None:
    rules = tomllib.loads((lang.PACKS_DIR.parent / "detection_rules.toml").read_text(encoding="utf-8"))
    groups = {group["name"] for group in rules["keywords"]}
    for path in PACKS:
        pack = _read(path)
        named = {*pack["detection"], *pack["detection_combos"], *pack["detection_pairs"]}
        assert set() == named - groups, path.stem


def test_a_keyword_group_lists_each_word_once() -> None:
    """As for analysis: a word two languages share sits in one pack (see test_a_joined_list_has_each_word_once)."""
    rules = tomllib.loads((lang.PACKS_DIR.parent / "detection_rules.toml").read_text(encoding="utf-8"))
    for group in rules["keywords"]:
        owners: dict[str, list[str]] = {}
        for word in group.get("words", []):
            if isinstance(word, str):
                owners.setdefault(word, []).append("detection_rules.toml")
        for path in PACKS:
            for word in _read(path)["detection"].get(group["name"], []):
                owners.setdefault(word, []).append(path.stem)
        assert {} == {word: where for word, where in owners.items() if len(where) > 1}, group["name"]


def _make_languages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_languages", REPO / "docs" / "make_languages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_names_the_languages_the_packs_have() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- languages:start -->", 1)[1].split("<!-- languages:end -->", 1)[0]
    assert _make_languages().readme_sentence() == " ".join(between.split())


def test_the_languages_doc_has_one_row_per_pack() -> None:
    doc = (REPO / "docs" / "languages.md").read_text(encoding="utf-8")
    between = doc.split("<!-- languages:start -->\n", 1)[1].split("\n<!-- languages:end -->", 1)[0]
    assert _make_languages().table_markdown() == between


def test_the_architecture_lists_every_pack() -> None:
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = re.search(r"the judge's phrases \(([a-z\s]+);", architecture)
    assert listed is not None
    assert _make_languages().architecture_codes() == " ".join(listed[1].split())


def test_a_warm_offline_rewrite_reads_only_the_core_part_of_the_packs(tmp_path: Path) -> None:
    env = {**os.environ, "REPHRASER_CONFIG_DIR": str(tmp_path)}

    def rewrite() -> str:
        command = [sys.executable, "-m", "rephraser", "rewrite", "--offline"]
        text = "cat astronaut moon cool"
        done = subprocess.run(command, input=text, capture_output=True, text=True, env=env, timeout=60, check=True)
        return done.stdout

    first = rewrite()
    cache = tmp_path / "cache"
    parts = [cache / f"lang_{part}.json" for part in ("core", "detection", "judge")]
    assert [True, True, False] == [part.exists() for part in parts]
    rules = json.loads((cache / "detection_rules.json").read_text(encoding="utf-8"))
    assert rules["key"].endswith(f":{lang.fingerprint()}")  # editing a pack refreshes the rules cache
    parts[1].unlink()
    assert first == rewrite()
    assert [True, False, False] == [part.exists() for part in parts]  # keywords came from detection_rules.json


def test_related_languages_name_packs_and_go_both_ways() -> None:
    related = {code: lang.language(code).related for code in lang.codes()}
    assert set() == {other for others in related.values() for other in others} - set(related)
    assert [] == [(code, other) for code, others in related.items() for other in others if code not in related[other]]

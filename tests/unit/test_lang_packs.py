"""The language packs (rephraser/core/lang/<code>.toml): every pack parses, has the same keys, and the
loader's JSON cache is used while fresh and ignored once stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from rephraser.core import lang

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


def _merged_fields() -> list[tuple[str, str]]:
    english = _read(lang.PACKS_DIR / "en.toml")
    return [("analysis", field) for field, value in english["analysis"].items() if isinstance(value, list)]


@pytest.mark.parametrize(("section", "field"), _merged_fields())
def test_a_joined_list_has_each_word_once(section: str, field: str) -> None:
    """Analysis reads every language's words at once: a word two languages share sits in one pack."""
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
    """Detection scores every language's words at once: a word two languages share sits in one pack."""
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

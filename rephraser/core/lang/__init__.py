"""Language packs: what the core knows about each language, one TOML file per language (`de.toml`).

A pack has the same sections in every language (docs/languages.md describes each field):
  [language]          name, rank, script ranges, letters and function words for detection; flags
  [scaffolding]       the offline rewrite's headings and [placeholders] (empty: English ones)
  [analysis]          the word lists `analyze()` matches (negations, media, style, questions, ...)
  [detection]         words for detection_rules.toml's keyword groups (also [detection_combos], [detection_pairs])
  [judge]             the judge's phrases (one list per field of judge.markers.Markers)
`shared.toml` holds what belongs to no one language (programming languages, international style words).

Parsing every pack's TOML costs tens of milliseconds, which the CLI's cold start cannot afford, so the
parsed packs are kept as JSON in the cache folder, keyed by each file's size and modification time (like
the detection rules), and each accessor is cached in-process. The judge's section and the detection
keywords are kept in files of their own: a warm offline start reads neither.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "PACKS_DIR",
    "SHARED",
    "Language",
    "codes",
    "fingerprint",
    "language",
    "languages",
    "matches_inside_words",
    "merged",
    "merged_table",
    "not_negations",
    "section",
    "shared",
]

PACKS_DIR = Path(__file__).parent
SHARED = "shared"  # shared.toml: not a language
_CACHE_FORMAT = 1  # bump when what the cache holds changes
# Sections cached apart from the rest ("core"): the offline path reads neither the judge's phrases nor,
# once detection_rules.json holds them, the detection keywords.
_PART_OF = {"judge": "judge", "detection": "detection", "detection_combos": "detection", "detection_pairs": "detection"}


class Language(NamedTuple):
    """A pack's [language] section."""

    code: str
    name: str
    rank: int  # ties between languages go to the lower rank; lists are merged in rank order
    script: tuple[tuple[int, int], ...]  # code point ranges only this language writes in (none: Latin)
    refines: str  # the language whose script this one shares, told apart by `letters` ("uk" refines "ru")
    related: tuple[str, ...]  # languages whose packs count for this one's texts too (shared words)
    letters: str  # letters that (nearly) only this language uses
    function_words: frozenset[str]
    capitalises_nouns: bool  # a capitalised word is no sign of a name (German)
    no_spaces: bool  # written without spaces between words: no word-by-word comparison
    cjk: bool  # Chinese, Japanese or Korean script: its words match as substrings, not whole words


@cache
def _files() -> tuple[str, ...]:
    # os.listdir, not Path.glob: globbing compiles a pattern, which costs on every CLI start.
    return tuple(sorted(name for name in os.listdir(PACKS_DIR) if name.endswith(".toml")))


@cache
def fingerprint() -> str:
    """Changes whenever a pack file is added, removed or edited (the caches' key)."""
    folder = str(PACKS_DIR)
    stats = [(name, os.stat(os.path.join(folder, name))) for name in _files()]
    return f"{_CACHE_FORMAT}:{folder}:" + ";".join(f"{name}:{st.st_mtime_ns}:{st.st_size}" for name, st in stats)


@cache
def _parsed() -> dict[str, dict[str, Any]]:
    import tomllib

    return {name[: -len(".toml")]: tomllib.loads((PACKS_DIR / name).read_text(encoding="utf-8")) for name in _files()}


def _part_of(section_name: str) -> str:
    return _PART_OF.get(section_name, "core")


@cache
def _part(part: str) -> dict[str, dict[str, Any]]:
    """{pack: {section: content}} for the sections of one cache part, from the JSON cache when it is fresh."""
    key = fingerprint()
    cached = _cache_folder() / f"lang_{part}.json"
    try:
        entry = json.loads(cached.read_text(encoding="utf-8"))
        if entry.get("key") == key and isinstance(entry.get("data"), dict):
            return dict(entry["data"])
    except (OSError, ValueError, AttributeError):
        pass  # missing, broken or stale cache: parse the TOML below
    data = {
        name: {title: body for title, body in sections.items() if _part_of(title) == part}
        for name, sections in _parsed().items()
    }
    _write_quietly(cached, json.dumps({"key": key, "data": data}, ensure_ascii=False))
    return data


@cache
def _cache_folder() -> Path:
    # The packs are read by plain functions (detect_language, analyze, labels_for) that no composition
    # root hands a folder to, so they use the cache folder the composition root gives everything else.
    from rephraser.core.config.paths import cache_dir

    return cache_dir()


def _write_quietly(path: Path, text: str) -> None:
    """Write a cache file; a cache that cannot be written only costs speed."""
    from rephraser.core.files import write_atomically

    with contextlib.suppress(OSError):
        write_atomically(path, text)


@cache
def codes() -> tuple[str, ...]:
    """Every language's code, in rank order."""
    packs = {name: body for name, body in _part("core").items() if name != SHARED}
    return tuple(sorted(packs, key=lambda code: int(packs[code]["language"]["rank"])))


def section(code: str, name: str) -> Mapping[str, Any]:
    """One section of one pack (or of shared.toml), {} when it has none."""
    found: Mapping[str, Any] = _part(_part_of(name)).get(code, {}).get(name, {})
    return found


def shared(name: str) -> Mapping[str, Any]:
    """One section of shared.toml."""
    return section(SHARED, name)


@cache
def language(code: str) -> Language:
    """The [language] section of one pack."""
    raw = section(code, "language")
    return Language(
        code=code,
        name=str(raw["name"]),
        rank=int(raw["rank"]),
        script=tuple((int(first), int(last)) for first, last in raw["script"]),
        refines=str(raw["refines"]),
        related=tuple(str(code) for code in raw["related"]),
        letters=str(raw["letters"]),
        function_words=frozenset(raw["function_words"]),
        capitalises_nouns=bool(raw["capitalises_nouns"]),
        no_spaces=bool(raw["no_spaces"]),
        cjk=bool(raw["cjk"]),
    )


@cache
def languages() -> tuple[Language, ...]:
    """Every pack's [language] section, in rank order."""
    return tuple(language(code) for code in codes())


@cache
def merged(section_name: str, field: str, only: frozenset[str] | None = None) -> tuple[Any, ...]:
    """One list of the packs joined: shared.toml's first, then each language's in rank order; with `only`,
    just those languages' (shared.toml's always)."""
    joined: list[Any] = []
    for code in _chosen(only):
        joined += section(code, section_name).get(field, ())
    return tuple(joined)


@cache
def merged_table(section_name: str, field: str, only: frozenset[str] | None = None) -> Mapping[str, Any]:
    """One table of the packs joined, in the same order as `merged` (an earlier key wins)."""
    joined: dict[str, Any] = {}
    for code in _chosen(only):
        for key, value in section(code, section_name).get(field, {}).items():
            joined.setdefault(key, value)
    return joined


def _chosen(only: frozenset[str] | None) -> tuple[str, ...]:
    return (SHARED, *(code for code in codes() if only is None or code in only))


@cache
def _unspaced_ranges() -> tuple[tuple[int, int], ...]:
    return tuple(span for lang in languages() if lang.cjk or lang.no_spaces for span in lang.script)


def not_negations(code: str) -> frozenset[str]:
    """Other packs' negation words that this language uses for something else (its pack's
    `not_negations`: Portuguese "no" is "in the"); empty for a code that names no pack."""
    if code not in codes():
        return frozenset()
    return frozenset(section(code, "analysis").get("not_negations", []))


def matches_inside_words(text: str) -> bool:
    """Whether the text has a letter of a script whose words match as substrings, not whole: CJK (Korean
    glues particles on) and the scripts written without spaces (Thai)."""
    if text.isascii():
        return False  # most words: skips the loop below
    ranges = _unspaced_ranges()
    return any(first <= ord(char) <= last for char in text for first, last in ranges)

"""Localized scaffolding for offline rewrites: headings and [placeholders] in the user's language, from
the [scaffolding] section of its language pack (rephraser/core/lang/<code>.toml).

Templates see the table for the detected language as `L` (e.g. `{{ L.task }}`). A language without a
table gets English scaffolding around the untouched original; a key missing from a table falls back to
English too, so a partial translation never breaks a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from rephraser.core import lang

__all__ = ["SCAFFOLDING_LANGUAGES", "heading_words", "labels_for", "looks_scaffolded", "scaffolding_text"]


@cache
def _tables() -> dict[str, Mapping[str, str]]:
    """Each language's table (languages whose pack has one), in rank order."""
    return {code: table for code in lang.codes() if (table := lang.section(code, "scaffolding"))}


SCAFFOLDING_LANGUAGES = tuple(_tables())


def labels_for(language: str) -> Mapping[str, str]:
    """The scaffolding table for a language code, English where it has no entry."""
    english = _tables()["en"]
    table = _tables().get(language, english)
    return MappingProxyType(table if table is english else {**english, **table})


_HEADING_KEYS = (
    "role",
    "task",
    "goal",
    "context",
    "constraints",
    "output_format",
    "subject",
    "style",
    "composition",
    "lighting",
    "aspect_ratio",
    "exclude",
    "look_at",
    "steps",
    "done_when",
    "names",
    "prog_language",
    "inputs_outputs",
    "rules",
    "example",
    "code_and_logs",
    "material",
)
_XML_TAGS = ("<role>", "<task>", "<context>", "<constraints>", "<output_format>", "<done_when>", "<code>")


@cache
def scaffolding_text() -> str:
    """Every heading and placeholder of every table, lower-cased: words a rewrite may use without inventing them."""
    return "\n".join(value.lower() for table in _tables().values() for value in table.values())


@cache
def _markers() -> tuple[frozenset[str], frozenset[str]]:
    headings = {table[key].lower() for table in _tables().values() for key in _HEADING_KEYS}
    placeholders = {
        value.lower() for table in _tables().values() for key, value in table.items() if key.startswith("ph_")
    }
    return frozenset(headings), frozenset(placeholders)


@cache
def heading_words() -> frozenset[str]:
    """Section names a prompt is made of, lower-case: ours in every language plus the packs' section_names
    (the common English ones, which models write in any language's prompt)."""
    return _markers()[0] | frozenset(lang.merged("analysis", "section_names"))


def _placeholder_weight(placeholder: str) -> int:
    # "[medium or art style]" is never typed by hand, so it alone is proof; "[version]" might be.
    return 3 if " " in placeholder.strip("[]") else 2


def looks_scaffolded(text: str) -> bool:
    """True when the text already carries a rewrite's scaffolding worth three points: headings and XML tags
    count one, our own one-word [placeholders] two and longer ones three, so rewriting it again would only
    nest the structure."""
    if not any(mark in text for mark in (":", "[", "<", "#", "：")):
        return False  # no heading, tag or placeholder can be there (most rough prompts): skip the look-up
    headings, placeholders = _markers()
    lowered = text.lower()
    found = {tag for tag in _XML_TAGS if tag in lowered}
    for line in lowered.splitlines():
        head = line.lstrip("#-* ").split(":", 1)[0].strip() if (":" in line or line.startswith("#")) else ""
        if head in headings:
            found.add(head)
    ours = {ph for ph in placeholders if ph in lowered}
    return len(found) + sum(_placeholder_weight(ph) for ph in ours) >= 3

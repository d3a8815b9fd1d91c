"""Print what the README, docs/languages.md and docs/architecture.md say about the languages, from the
language packs themselves (rephraser/core/lang/<code>.toml).

Run: python docs/make_languages.py   (tests/unit/test_lang_packs.py checks the docs still match)
"""

from __future__ import annotations

from rephraser.core import lang


def _names(codes: list[str]) -> str:
    names = [lang.language(code).name for code in codes]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def readme_sentence() -> str:
    """Which languages have their own headings, and which are only recognised."""
    own = [code for code in lang.codes() if lang.section(code, "scaffolding")]
    recognised = [code for code in lang.codes() if code not in own]
    return (
        f"{_names(own)} have their own headings and placeholders; {_names(recognised)} are recognised and, "
        "like any other language, get English headings around the untouched original"
    )


def architecture_codes() -> str:
    """The pack codes as docs/architecture.md lists them."""
    return " ".join(lang.codes())


def _detected_by(pack: lang.Language) -> str:
    if pack.refines:
        return f"letters of its own in {pack.refines}'s script"
    if pack.script:
        return "its script"
    return "function words" + (", letters" if pack.letters else "")


def _has(code: str, *sections: str) -> str:
    return "yes" if any(any(lang.section(code, name).values()) for name in sections) else "-"


def table_markdown() -> str:
    """One row per pack: how the language is detected and which sections have data."""
    rows = [
        "| code | language | detected by | headings | analysis words | detection keywords | judge phrases |",
        "|---|---|---|---|---|---|---|",
    ]
    for pack in lang.languages():
        code = pack.code
        rows.append(
            f"| {code} | {pack.name} | {_detected_by(pack)} | {_has(code, 'scaffolding')} | {_has(code, 'analysis')} "
            f"| {_has(code, 'detection', 'detection_combos', 'detection_pairs')} | {_has(code, 'judge')} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(readme_sentence())
    print()
    print(architecture_codes())
    print()
    print(table_markdown())

"""The [placeholders] a rewrite leaves for the user, and filling them in (the preview's fields)."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["fill_placeholders", "placeholders"]

# "[who the answer is for]", "Python [version]"; not "arr[i]" (glued to a word), a Markdown link's
# "[text](url)", a checkbox "[ ]" / "[x]", the offline template's literal "[?]", or a citation "[12]".
_PLACEHOLDER = re.compile(r"(?<![\w\]\[])\[([^\[\]\n]{2,80})\](?!\()")


def placeholders(text: str) -> list[str]:
    """Each placeholder once, as written between its brackets, in order of first appearance."""
    found: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if any(c.isalpha() for c in name) and name.strip() == name and name not in found:
            found.append(name)
    return found


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with every `[name]` whose value is not blank replaced by that value; the rest as written."""
    wanted = {name: value.strip() for name, value in values.items() if value.strip()}
    if not wanted:
        return text
    return _PLACEHOLDER.sub(lambda match: wanted.get(match.group(1), match.group(0)), text)

"""Print the README's before/after examples, produced by the tool itself (offline mode).

Run: python docs/make_examples.py   (tests/unit/test_readme.py checks the README still matches)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rephraser.composition import build_core
from rephraser.core.rewrite import RewriteRequest

EXAMPLES = (
    ("chat", "claude", 'email to landlord heating broken 3 days, polite but firm, mention "Flat 4B"'),
    ("code", "gpt", "python 3.12 func dedupe(items) keep order fast, see utils.py"),
    ("image", "midjourney", "cat astronaut on the moon, watercolor, 16:9, no text"),
    ("image", "flux", "empty train station at night, no people, cinematic"),
    ("multimodal", "", "analyze this screenshot and tell me what to do"),
)


def examples_markdown() -> str:
    core = build_core(Path(tempfile.mkdtemp(prefix="rephraser-examples-")))
    parts = []
    for target, family, text in EXAMPLES:
        result = core.rewriter.offline(RewriteRequest(text, target=target, family=family))
        title = f"{target}, {family} profile" if family else f"{target}"
        family_option = f" --family {family}" if family else ""
        command = f"echo '{text}' | rephraser rewrite --offline --target {target}{family_option}"
        parts.append(f"**{title}**: `{command}`\n\n```\n{result.text}\n```")
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(examples_markdown())

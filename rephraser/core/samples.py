"""Sample rough prompts per target: what `templates check` renders and what the settings window's live
preview offers. Each exercises the slots its templates use (quotes, numbers, code, aspect, exclusions)."""

from __future__ import annotations

__all__ = ["SAMPLES"]

SAMPLES: dict[str, tuple[str, ...]] = {
    "chat": (
        'email to "Ms Rivera" about the 3 late invoices, no jargon',
        "explain inflation to a 10 year old",
    ),
    "code": (
        "python func dedupe(items) keep order fast\n```\nprint(dedupe([3, 1, 3]))\n```",
        "fix this:\nTypeError: 'NoneType' object is not iterable",
    ),
    "image": (
        "cat astronaut on the moon, watercolor, 16:9, no text",
        'logo for a bakery called "Crumb", minimal',
    ),
    "multimodal": (
        "what does this chart say about Q3 revenue?",
        "analyze this screenshot and tell me what to do",
    ),
}

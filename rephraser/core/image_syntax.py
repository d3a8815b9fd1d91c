"""The syntax rules of image-model prompts, used by the templates (as Jinja2 filters) and by the quality
suite's validity checks, so both agree on what a valid Midjourney, SDXL or FLUX prompt is."""

from __future__ import annotations

import re

from rephraser.core.lazy_regex import LazyPattern

__all__ = [
    "MIDJOURNEY_PARAMETERS",
    "clip_tokens",
    "flux_negations",
    "midjourney_problems",
    "sd_chunks",
    "split_parameters",
]

# Midjourney's parameters (name -> pattern of its value, "" for switches).
MIDJOURNEY_PARAMETERS: dict[str, str] = {
    "ar": r"\d+:\d+",
    "aspect": r"\d+:\d+",
    "no": r".+",
    "stylize": r"\d{1,4}",
    "s": r"\d{1,4}",
    "chaos": r"\d{1,3}",
    "c": r"\d{1,3}",
    "v": r"[\d.]+",
    "version": r"[\d.]+",
    "niji": r"[\d.]*",
    "q": r"[\d.]+",
    "quality": r"[\d.]+",
    "seed": r"\d+",
    "style": r"\w+",
    "tile": "",
    "raw": "",
    "weird": r"\d{1,4}",
    "w": r"\d{1,4}",
    "iw": r"[\d.]+",
    "sref": r".+",
    "cref": r".+",
    "p": r".*",
}
# Compiled on first use: the templates' filters import this module on every CLI start.
_CLIP_PIECE = LazyPattern(r"[^\W\d_]+|\d|[^\w\s]")
# CLIP reads 77 tokens per chunk, two of which are start/end markers.
CLIP_CHUNK = 75
# Words that negate, in the languages Rephraser scaffolds; FLUX has no negative prompt, so a prompt for it
# must not contain them (naming a thing pulls it into the picture).
_NEGATIONS = LazyPattern(
    r"(?<![\w-])(no|not|without|don't|do not|never|avoid|exclude|excluding|none|kein\w*|ohne|nicht|sin|sans"
    r"|pas|sem|não|senza|non|без|не)(?![\w-])|不要|没有|なし|無し",
    re.I,
)


def split_parameters(text: str) -> tuple[str, str]:
    """(prompt, Midjourney parameters) of a text that may already end with `--ar 16:9 --no x`."""
    match = re.search(r"\s--[a-z]+", " " + text)
    if not match:
        return text.strip(), ""
    start = max(0, match.start() - 1)
    return text[:start].strip(" ,"), text[start:].strip()


def midjourney_problems(prompt: str) -> list[str]:
    """What makes a Midjourney prompt invalid: text after the parameters, unknown names, bad values."""
    _, parameters = split_parameters(prompt)
    problems = []
    pieces = re.split(r"(?=\s--[a-z]+)", " " + parameters) if parameters else []
    for piece in (p.strip() for p in pieces if p.strip()):
        name, _, value = piece[2:].partition(" ")
        pattern = MIDJOURNEY_PARAMETERS.get(name)
        if pattern is None:
            problems.append(f"unknown parameter --{name}")
        elif not re.fullmatch(pattern or "", value.strip()):
            problems.append(f"--{name} has an invalid value {value.strip()!r}")
    return problems


def clip_tokens(text: str) -> int:
    """An estimate of CLIP's token count: about one token per word, digit and punctuation mark, plus one
    for every 6 letters of a long word (BPE splits rare words)."""
    return sum(1 + (len(piece) - 1) // 6 if piece.isalpha() else 1 for piece in _CLIP_PIECE.findall(text))


def sd_chunks(prompt: str) -> str:
    """Insert AUTOMATIC1111's BREAK between comma-separated phrases so no chunk passes 75 CLIP tokens."""
    chunks: list[list[str]] = [[]]
    used = 0
    for phrase in (p.strip() for p in prompt.split(",")):
        size = clip_tokens(phrase) + 1
        if chunks[-1] and used + size > CLIP_CHUNK:
            chunks.append([])
            used = 0
        chunks[-1].append(phrase)
        used += size
    return " BREAK ".join(", ".join(chunk) for chunk in chunks if chunk)


def flux_negations(prompt: str) -> list[str]:
    """Negating words outside [placeholders] (there should be none in a FLUX prompt)."""
    outside = re.sub(r"\[[^\]]*\]", " ", prompt)
    return [m.group(0) for m in _NEGATIONS.finditer(outside)]

"""A small statistical target classifier, for the prompts no keyword rule decides.

Multinomial logistic regression over hashed features: words, word pairs, and character n-grams (2-4
letters inside words; single characters and pairs for Chinese, Japanese and Korean), so it works across
languages and survives typos. It is trained from the shipped corpora by bench/train_target_model.py and
stored as int8 weights (rephraser/core/target_model.bin, 128 KB): loading costs well under a millisecond
and it needs nothing beyond the standard library.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from array import array
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from rephraser.core.targets import Target
from rephraser.core.word_matching import WORD_MARKS

__all__ = ["BUCKETS", "CLASSES", "MODEL_FILE", "TargetModel", "features", "load_model"]

MODEL_FILE = Path(__file__).with_name("target_model.bin")
BUCKETS = 1 << 15
CLASSES: tuple[Target, ...] = (Target.CHAT, Target.CODE, Target.IMAGE, Target.MULTIMODAL)
_MAGIC = b"RPTM2"
# magic, buckets, classes, scale (weight = int8 * scale), CRC-32 of the training data it was made from
_HEADER = struct.Struct("<5sIIfI")

_SYMBOL = r"[{}()\[\];=<>#$@|`*:/\\.,!?-]"
_ASCII_WORD = re.compile(rf"[^\W_]+(?:['’][^\W_]+)?|{_SYMBOL}")
_LETTER = rf"(?:[^\W_]|[{WORD_MARKS}])"  # vowel signs continue a Devanagari or Thai word; an alternation
_MARKED_WORD = re.compile(rf"{_LETTER}+(?:['’]{_LETTER}+)?|{_SYMBOL}")  # is slower, so only off ASCII


def features(text: str) -> list[int]:
    """The hashed feature buckets of a text (with repeats: a feature that occurs twice counts twice)."""
    lowered = text.lower()[:2000]
    tokens = (_ASCII_WORD if lowered.isascii() else _MARKED_WORD).findall(lowered)
    names = [f"w:{t}" for t in tokens]
    names += [f"b:{a} {b}" for a, b in pairwise(tokens)]
    for token in tokens:
        if token[0].isalpha() and not any(_is_cjk(ch) or ch.isdigit() for ch in token):
            padded = f" {token} "
            names += [f"c:{padded[i : i + n]}" for n in (2, 3, 4) for i in range(len(padded) - n + 1)]
    for run in _cjk_runs(lowered):
        names += [f"k:{ch}" for ch in run] + [f"k:{run[i : i + 2]}" for i in range(len(run) - 1)]
    names.append(f"len:{min(len(tokens) // 4, 10)}")
    return [zlib.crc32(name.encode()) & (BUCKETS - 1) for name in names]


def _is_cjk(char: str) -> bool:
    # Compared by code point: a regular expression over these ranges costs 2 ms to compile at each start.
    point = ord(char)
    return 0x3040 <= point <= 0x30FF or 0x3400 <= point <= 0x9FFF or 0xAC00 <= point <= 0xD7AF


def _cjk_runs(text: str) -> list[str]:
    runs, current = [], []
    for char in text:
        if _is_cjk(char):
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


class TargetModel(NamedTuple):
    """Weights (BUCKETS x CLASSES, int8) with their scale, and one bias per class."""

    weights: array[int]
    scale: float
    biases: tuple[float, ...]
    data_crc: int = 0  # which training data made it (a test checks the shipped model is current)

    def probabilities(self, text: str) -> dict[Target, float]:
        """The model's probability for each target."""
        buckets = features(text)
        factor = self.scale / math.sqrt(max(1, len(buckets)))
        width = len(CLASSES)
        weight = self.weights.__getitem__
        logits = [
            bias + factor * sum(map(weight, [bucket * width + index for bucket in buckets]))
            for index, bias in enumerate(self.biases)
        ]
        top = max(logits)
        exps = [math.exp(value - top) for value in logits]
        total = sum(exps)
        return {target: e / total for target, e in zip(CLASSES, exps, strict=True)}

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(_MAGIC, BUCKETS, len(CLASSES), self.scale, self.data_crc)
        return header + struct.pack(f"<{len(CLASSES)}f", *self.biases) + self.weights.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> TargetModel:
        magic, buckets, classes, scale, data_crc = _HEADER.unpack_from(data)
        if magic != _MAGIC or buckets != BUCKETS or classes != len(CLASSES):
            raise ValueError("not a target model of this version")
        offset = _HEADER.size
        biases = struct.unpack_from(f"<{classes}f", data, offset)
        weights = array("b")
        weights.frombytes(data[offset + 4 * classes :])
        return cls(weights, scale, tuple(biases), data_crc)

    @classmethod
    def quantised(cls, weights: Iterable[float], biases: Iterable[float], data_crc: int = 0) -> TargetModel:
        """int8 weights from float ones (the largest maps to 127)."""
        floats = list(weights)
        scale = max(1e-9, max(abs(w) for w in floats) / 127)
        quantised = array("b", (max(-127, min(127, round(w / scale))) for w in floats))
        return cls(quantised, scale, tuple(biases), data_crc)


@cache
def load_model(path: Path = MODEL_FILE) -> TargetModel | None:
    """The shipped model, or None when the file is missing or unreadable (the rules then decide alone)."""
    try:
        return TargetModel.from_bytes(path.read_bytes())
    except (OSError, ValueError, struct.error):
        return None

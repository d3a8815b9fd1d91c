"""Train the target classifier (rephraser/core/target_model.py) from the shipped, labelled corpora.

Training data: tests/data/detection.jsonl, quality.jsonl, detection_everyday.jsonl, detection_train.jsonl,
detection_packs.jsonl, detection_packs_more.jsonl and detection_packs_third.jsonl. Never the sealed sets
(tests/data/*sealed*.jsonl): they measure the result.
Deterministic: the same data gives the same model file, byte for byte.

Run: python bench/train_target_model.py [--check]   (--check: only report held-out accuracy, write nothing)
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rephraser.core.target_model import BUCKETS, CLASSES, MODEL_FILE, TargetModel, features  # noqa: E402

DATA = REPO / "tests" / "data"
TRAINING = (
    "detection.jsonl",
    "quality.jsonl",
    "detection_everyday.jsonl",
    "detection_train.jsonl",
    "detection_packs.jsonl",
    "detection_packs_more.jsonl",
    "detection_packs_third.jsonl",
    "detection_fourth.jsonl",
)
EPOCHS = 12
LEARNING_RATE = 0.5
L2 = 1e-5


def load(names: tuple[str, ...] = TRAINING) -> list[tuple[str, int]]:
    rows = []
    for name in names:
        path = DATA / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], [t.value for t in CLASSES].index(row["target"])))
    return rows


def data_crc(names: tuple[str, ...] = TRAINING) -> int:
    """CRC-32 of the training files' bytes, in order: the model file records which data made it."""
    crc = 0
    for name in names:
        path = DATA / name
        if path.exists():
            crc = zlib.crc32(path.read_bytes(), crc)
    return crc


def train(rows: list[tuple[str, int]], seed: int = 7, crc: int = 0) -> TargetModel:
    """Multinomial logistic regression, AdaGrad, L2; features scaled by 1/sqrt(count)."""
    classes = len(CLASSES)
    weights = [0.0] * (BUCKETS * classes)
    squares = [1e-8] * (BUCKETS * classes)
    biases = [0.0] * classes
    encoded = [(features(text), label) for text, label in rows]
    order = list(range(len(encoded)))
    shuffle = random.Random(seed)
    for _epoch in range(EPOCHS):
        shuffle.shuffle(order)
        for index in order:
            buckets, label = encoded[index]
            norm = 1 / math.sqrt(max(1, len(buckets)))
            logits = list(biases)
            for bucket in buckets:
                for c in range(classes):
                    logits[c] += weights[bucket * classes + c] * norm
            top = max(logits)
            exps = [math.exp(v - top) for v in logits]
            total = sum(exps)
            for c in range(classes):
                gradient = exps[c] / total - (1.0 if c == label else 0.0)
                biases[c] -= 0.05 * gradient
                for bucket in buckets:
                    slot = bucket * classes + c
                    g = gradient * norm + L2 * weights[slot]
                    squares[slot] += g * g
                    weights[slot] -= LEARNING_RATE * g / math.sqrt(squares[slot])
    return TargetModel.quantised(weights, biases, crc)


def accuracy(model: TargetModel, rows: list[tuple[str, int]]) -> float:
    right = 0
    for text, label in rows:
        probabilities = model.probabilities(text)
        right += max(probabilities, key=lambda t: probabilities[t]) == CLASSES[label]
    return right / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="hold out the everyday tuning set; write nothing")
    args = parser.parse_args()
    if args.check:
        held_out = load(("detection_everyday.jsonl",))
        model = train(load(tuple(n for n in TRAINING if n != "detection_everyday.jsonl")))
        print(f"held-out accuracy (everyday tuning set, model alone): {accuracy(model, held_out):.1%}")
        return
    rows = load()
    model = train(rows, crc=data_crc())
    MODEL_FILE.write_bytes(model.to_bytes())
    print(f"trained on {len(rows)} prompts; training accuracy {accuracy(model, rows):.1%}; wrote {MODEL_FILE.name}")


if __name__ == "__main__":
    main()

"""Target detection on the labelled sets: accuracy with text alone and with app hints, per language, the
confusion matrix, and (for the tuning sets only) the misses.

Sets: tests/data/detection.jsonl (the original set), detection_everyday.jsonl (the tuning half of the
everyday corpus) and detection_sealed.jsonl (its sealed half, written by another hand before any rule was
changed: the figure that measures generalisation; its misses are never printed); detection_packs.jsonl and
detection_packs_sealed.jsonl, the same for the languages the everyday corpus lacked (ar el fa he hi th,
more cs sv uk), split before any rule saw them; detection_packs_more.jsonl, a second set for the same
scripts by a third hand (76.4% when first measured, before it tuned anything), and
detection_packs_third.jsonl by a fourth (93.8% when first measured, likewise).

Run: python bench/detection.py [--misses]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from _tables import print_confusion
from _timing import REPO

from rephraser.core.detection import TargetDetector, load_rules
from rephraser.core.language import detect_language
from rephraser.core.target_model import load_model

DATA = REPO / "tests" / "data"
SETS = {
    "original": DATA / "detection.jsonl",
    "everyday (tuning)": DATA / "detection_everyday.jsonl",
    "everyday (sealed)": DATA / "detection_sealed.jsonl",
    "packs (tuning)": DATA / "detection_packs.jsonl",
    "packs, second set (tuning)": DATA / "detection_packs_more.jsonl",
    "packs, third set (tuning)": DATA / "detection_packs_third.jsonl",
    "packs (sealed)": DATA / "detection_packs_sealed.jsonl",
    "fourth set: he, th, sv and everyday (tuning)": DATA / "detection_fourth.jsonl",
    "fifth set: cs, es, uk, th, pt and everyday (fresh: never trained or tuned on)": DATA / "detection_fifth.jsonl",
}


def load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(rows: list[dict[str, str]], detector: TargetDetector, with_apps: bool) -> dict[str, object]:
    matrix: Counter[tuple[str, str]] = Counter()
    per_language: Counter[tuple[str, bool]] = Counter()
    misses = []
    for row in rows:
        app = row.get("app", "") if with_apps else ""
        got = detector.detect(row["text"], app).target.value
        matrix[(row["target"], got)] += 1
        language = row.get("language") or detect_language(row["text"])
        per_language[(language, got == row["target"])] += 1
        if got != row["target"]:
            misses.append((row, got))
    right = sum(count for (want, got), count in matrix.items() if want == got)
    return {"right": right, "matrix": matrix, "per_language": per_language, "misses": misses}


def report(name: str, rows: list[dict[str, str]], detector: TargetDetector, show_misses: bool) -> None:
    text_only = measure(rows, detector, with_apps=False)
    with_apps = measure(rows, detector, with_apps=True)
    hinted = sum(1 for row in rows if row.get("app"))
    print(f"{name}: {len(rows)} prompts, {hinted} with an app")
    for label, result in (("text alone", text_only), ("with app hints", with_apps)):
        right = int(result["right"])  # type: ignore[call-overload]
        print(f"  accuracy, {label:<15} {right / len(rows):6.1%} ({right}/{len(rows)})")
    languages: Counter[tuple[str, bool]] = with_apps["per_language"]  # type: ignore[assignment]
    codes = sorted({code for code, _ in languages})
    shares = [f"{c} {languages[(c, True)] / (languages[(c, True)] + languages[(c, False)]):.0%}" for c in codes]
    print("  per language (with app hints): " + ", ".join(shares))
    print_confusion(with_apps["matrix"])  # type: ignore[arg-type]
    if show_misses and "sealed" not in name:
        for row, got in with_apps["misses"]:  # type: ignore[attr-defined]
            print(f"  miss: {row['text']!r} app={row.get('app', '')!r} labelled {row['target']}, detected {got}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the misses of the tuning sets")
    args = parser.parse_args()
    detector = TargetDetector(load_rules(), model=load_model())
    for name, path in SETS.items():
        report(name, load(path), detector, args.misses)
        print()


if __name__ == "__main__":
    main()

"""Target detection on the labelled set: accuracy, the confusion matrix, and the misses.

Run: python bench/detection.py
"""

from __future__ import annotations

import json
from collections import Counter

from _tables import print_confusion
from _timing import REPO

from rephraser.core.detection import TargetDetector, load_rules
from rephraser.core.language import detect_language


def main() -> None:
    lines = (REPO / "tests" / "data" / "detection.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    detector = TargetDetector(load_rules())
    matrix: Counter[tuple[str, str]] = Counter()
    misses = []
    for row in rows:
        got = detector.detect(row["text"], row.get("app", "")).target.value
        matrix[(row["target"], got)] += 1
        if got != row["target"]:
            misses.append((row, got))
    right = sum(count for (want, got), count in matrix.items() if want == got)
    languages = Counter(detect_language(row["text"]) for row in rows)
    with_app = sum(1 for row in rows if row.get("app"))
    print(f"target detection: {len(rows)} labelled prompts, {len(languages)} languages, {with_app} with an app hint")
    print(f"  accuracy {right / len(rows):.1%} ({right}/{len(rows)})")
    print_confusion(matrix)
    for row, got in misses:
        print(f"  miss: {row['text']!r} app={row.get('app', '')!r} labelled {row['target']}, detected {got}")


if __name__ == "__main__":
    main()

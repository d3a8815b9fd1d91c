"""Printing helpers shared by the bench scripts."""

from __future__ import annotations

from collections import Counter

from rephraser.core.targets import Target

__all__ = ["print_confusion"]


def print_confusion(matrix: Counter[tuple[str, str]]) -> None:
    """Rows: the labelled target; columns: the detected one."""
    names = [t.value for t in Target]
    print("  confusion matrix (rows: labelled, columns: detected)")
    print("  " + " " * 12 + "".join(f"{n:>11}" for n in names))
    for want in names:
        print(f"  {want:<12}" + "".join(f"{matrix[(want, got)]:>11}" for got in names))

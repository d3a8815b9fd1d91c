"""Run every benchmark in turn. Run: python bench/run_all.py"""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in (
        "detection.py",
        "judge.py",
        "offline_rewrite.py",
        "model_path.py",
        "limits.py",
        "desktop.py",
        "preview.py",
        "trigger.py",
        "history.py",
    ):
        print(f"== {script}")
        runpy.run_path(str(HERE / script), run_name="__main__")
        print()

"""What the history costs a rewrite: storing one (with the caps applied) in a file that already holds
`history_max_entries` rewrites, beside the offline rewrite itself; and the first store of a session,
which also opens the file (sqlite3's import included, in a fresh process).

Goal (issue 12): history adds < 2 ms to a rewrite. Run: python bench/history.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import REPO, median_ms, p95_ms

from rephraser.composition import build_core
from rephraser.core.config.schema import Settings
from rephraser.core.history import History, HistoryEntry
from rephraser.core.rewrite import RewriteRequest

STORES = 1000
TEXT = "write a follow up email to the client about the invoice that is 30 days overdue, polite but firm"
FIRST_STORE = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
started = time.perf_counter()
from rephraser.core.history import History, HistoryEntry
History(Path({path!r}), 500, 5_000_000).add(HistoryEntry("a", "b", "chat", "chat", "offline"))
print((time.perf_counter() - started) * 1000)
"""


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="rephraser-history-"))
    defaults = Settings()
    history = History(folder / "history.sqlite3", defaults.history_max_entries, int(defaults.history_max_mb * 1e6))
    core = build_core(folder / "config")
    rewrite = core.rewriter.offline(RewriteRequest(TEXT)).text
    entry = HistoryEntry(TEXT, rewrite, "chat", "chat", "offline", "mousepad")
    for _ in range(defaults.history_max_entries):  # a full history: every store also drops the oldest
        history.add(entry)
    stores, rewrites = [], []
    for _ in range(STORES):
        start = time.perf_counter()
        core.rewriter.offline(RewriteRequest(TEXT))
        middle = time.perf_counter()
        history.add(entry)
        stores.append(time.perf_counter() - middle)
        rewrites.append(middle - start)
    firsts = [_first_store(folder / f"first-{run}.sqlite3") for run in range(5)]
    print(f"history, {STORES} stores into a full history of {defaults.history_max_entries} (ms)")
    print(f"  store a rewrite              median {median_ms(stores):6.3f}   p95 {p95_ms(stores):6.3f}   (goal < 2)")
    print(f"  the offline rewrite itself   median {median_ms(rewrites):6.3f}")
    print(f"  first store of a session     median {sorted(firsts)[2]:6.1f}   (fresh process: import, open, create)")


def _first_store(path: Path) -> float:
    code = FIRST_STORE.format(repo=str(REPO), path=str(path))
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    main()

"""`rephraser history list | show N | clear`: the rewrites the tray app made, read from the history file."""

from __future__ import annotations

import argparse
import json
import time

from rephraser.composition import build_history, load_config
from rephraser.core.errors import RephraserError
from rephraser.core.history import HistoryEntry, one_line

__all__ = ["history_clear", "history_list", "history_show"]

_PREVIEW_CHARS = 48


def history_list(args: argparse.Namespace) -> int:
    """The newest rewrites first, one line each (or one JSON object per line)."""
    entries = build_history(load_config()[1].settings).recent(args.limit, args.search)
    for entry in entries:
        print(json.dumps(_as_dict(entry), ensure_ascii=False) if args.json else _line(entry))
    if not entries and not args.json:
        print("No rewrites match." if args.search else "The history is empty.")
    return 0


def history_show(args: argparse.Namespace) -> int:
    """One rewrite in full."""
    entry = build_history(load_config()[1].settings).get(args.id)
    if entry is None:
        raise RephraserError(f"No rewrite {args.id} in the history (`rephraser history list` shows them).")
    if args.json:
        print(json.dumps(_as_dict(entry), ensure_ascii=False))
        return 0
    print(f"#{entry.id}  {_when(entry.time)}  {entry.target}, {entry.template}, {entry.mode}, {entry.app_class or '-'}")
    print(f"\n--- original\n{entry.original}\n\n--- rewrite\n{entry.rewrite}")
    return 0


def history_clear(_args: argparse.Namespace) -> int:
    """Delete the history file."""
    history = build_history(load_config()[1].settings)
    print(f"History deleted ({history.path})." if history.clear() else "The history was already empty.")
    return 0


def _line(entry: HistoryEntry) -> str:
    where = f" in {entry.app_class}" if entry.app_class else ""
    texts = f"{_short(entry.original)} -> {_short(entry.rewrite)}"
    return f"{entry.id:>5}  {_when(entry.time)}  {entry.target}{where}: {texts}"


def _short(text: str) -> str:
    return repr(one_line(text, _PREVIEW_CHARS))


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _as_dict(entry: HistoryEntry) -> dict[str, object]:
    return {**entry._asdict(), "time": _when(entry.time)}

"""The judge over labelled model replies: how many good rewrites are pasted as written and how many bad
replies are stopped, per rewrite strength and kind, on the tuning part and on the sealed part.

Each reply goes through the real model pipeline (ModelRewriter: meta-prompt, clean-up, judge, fallback)
with a client that answers with the labelled reply instead of calling an endpoint. Which replies count
as good depends on the strength: faithful accepts rewrites that add nothing; balanced also the answer's
shape and image details; creative also marked assumptions and new scene elements.

Run: python bench/judge.py [--limit N]   (the sealed figure is the one that measures the judge)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rephraser.composition import Core, build_core  # noqa: E402
from rephraser.core.config.schema import REWRITE_STRENGTHS  # noqa: E402
from rephraser.core.judge import Judged, judge  # noqa: E402
from rephraser.core.language import detect_language, detect_language_confidently  # noqa: E402
from rephraser.core.model_rewrite import ModelRewriter  # noqa: E402
from rephraser.core.providers.base import Completion  # noqa: E402
from rephraser.core.rewrite import MetaPrompt, RewriteRequest  # noqa: E402
from rephraser.core.targets import FAMILIES  # noqa: E402

DATA = REPO / "tests" / "data"
PARTS = {
    "tuning": DATA / "judge_tuning.jsonl",
    "fourth": DATA / "judge_fourth.jsonl",  # measured once before it tuned anything, then tuning data
    "fifth": DATA / "judge_fifth.jsonl",  # the same, later
    "sealed": DATA / "judge_sealed.jsonl",
}
# What a good rewrite may add at each strength (the corpus labels every reply's additions).
ALLOWED_ADDITIONS = {
    "faithful": {"none"},
    "balanced": {"none", "shape", "enrich"},
    "creative": {"none", "shape", "enrich", "assumption", "narrative"},
}
# The bad kinds the acceptance asks to stop every time, whatever the strength.
ALWAYS_STOPPED = ("answered", "refused", "injection", "dropped-fact", "key-echo")


class Item(NamedTuple):
    id: str
    original: str
    target: str
    family: str
    language: str
    in_english: bool
    style: str
    output: str
    label: str
    kind: str
    adds: str
    api_key: str = ""


def load(path: Path) -> list[Item]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item(**{k: row.get(k, "") for k in Item._fields}) for row in rows]


def expected(item: Item, strength: str) -> str:
    """ "good", "bad:<kind>", or "beyond:<adds>" (a good rewrite that adds more than the strength allows)."""
    if item.label == "bad":
        return f"bad:{item.kind}"
    return "good" if item.adds in ALLOWED_ADDITIONS[strength] else f"beyond:{item.adds}"


class CannedClient:
    """A CompletionClient that replies with the labelled text (and sends the labelled key)."""

    def __init__(self) -> None:
        self.reply = ""
        self.key = ""

    def complete(self, meta: MetaPrompt, on_delta: Any = None, cancel: Any = None, stream: bool = True) -> Completion:
        return Completion(self.reply, "", "stop")

    def known_secrets(self) -> tuple[str, ...]:
        return (self.key,) if self.key else ()

    def close(self) -> None:
        pass


def run(items: list[Item], core: Core, strength: str) -> list[tuple[Item, str, tuple[str, ...]]]:
    """(item, expected, checks that fired) for each item; no checks means the reply was pasted."""
    client = CannedClient()
    rewriters = {english: _model_rewriter(core, client, english) for english in (False, True)}
    results = []
    for item in items:
        client.reply, client.key = item.output, item.api_key
        family = item.family if item.family in FAMILIES.get(item.target, ()) else ""  # no multimodal profiles
        request = RewriteRequest(item.original, target=item.target, family=family, strength=strength)
        result = rewriters[item.in_english].rewrite(request)
        fired = result.checks if result.mode == "offline" else ()
        results.append((item, expected(item, strength), fired or (("stopped",) if result.mode == "offline" else ())))
    return results


def _model_rewriter(core: Core, client: CannedClient, in_english: bool) -> ModelRewriter:
    """The model pipeline over the core's templates and detector, with image_in_english as the item asks."""
    from rephraser.core.rewrite import Rewriter

    settings = core.config.settings._replace(mode="model", image_in_english=in_english)
    return ModelRewriter(Rewriter(settings, core.templates, core.detector), settings, lambda: client)


def summarise(results: list[tuple[Item, str, tuple[str, ...]]]) -> dict[str, Any]:
    good = [r for r in results if r[1] == "good"]
    bad = [r for r in results if r[1].startswith("bad:")]
    must = [r for r in bad if r[1][4:] in ALWAYS_STOPPED]
    return {
        "good pasted": _share(good, lambda r: not r[2]),
        "bad stopped": _share(bad, lambda r: bool(r[2])),
        "answers, refusals, injections, changed facts, key echoes stopped": _share(must, lambda r: bool(r[2])),
        "rows": Counter((r[1], "stopped" if r[2] else "pasted") for r in results),
        "fired": Counter(check for r in results for check in r[2]),
        "misses": [r for r in results if (r[1] == "good") == bool(r[2]) and not r[1].startswith("beyond:")],
    }


def _share(rows: list[Any], test: Callable[[Any], bool]) -> tuple[int, int]:
    return sum(1 for r in rows if test(r)), len(rows)


def print_summary(part: str, strength: str, summary: dict[str, Any], show_misses: bool) -> None:
    print(f"{part}, {strength}:")
    for name in ("good pasted", "bad stopped", "answers, refusals, injections, changed facts, key echoes stopped"):
        hit, total = summary[name]
        print(f"  {name:<66} {hit:>4}/{total:<4} {hit / total if total else 1:7.1%}")
    rows = summary["rows"]
    print(f"  {'expected':<26}{'pasted':>8}{'stopped':>9}")
    for row in sorted({key for key, _ in rows}):
        print(f"  {row:<26}{rows[(row, 'pasted')]:>8}{rows[(row, 'stopped')]:>9}")
    print("  checks fired: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["fired"].items())))
    if show_misses:
        for item, want, fired in summary["misses"]:
            print(f"  miss {item.id} ({want}, {item.language}, {item.target}): fired {list(fired)}")


def judge_timing(items: list[Item], core: Core, repeats: int = 5) -> float:
    """Median milliseconds the judge alone takes per reply (in-process, balanced): each reply timed
    `repeats` times, new to the judge each time, its fastest kept (a busy machine only ever adds time)."""
    times = []
    for item in items:
        prepared = core.rewriter.prepare(RewriteRequest(item.original, target=item.target))
        context = Judged(item.original, prepared.variables["a"], item.target, "", prepared.language)
        runs = []
        for _ in range(repeats):
            detect_language.cache_clear()  # each reply is new to the judge, as in the app
            detect_language_confidently.cache_clear()
            start = time.perf_counter()
            judge(context, item.output)
            runs.append((time.perf_counter() - start) * 1000)
        times.append(min(runs))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the misses of the tuning parts (never the sealed)")
    parser.add_argument("--part", choices=("both", *PARTS), default="both", help="which part to measure")
    args = parser.parse_args()
    core = build_core(Path(tempfile.mkdtemp(prefix="rephraser-judge-")))
    for part, path in PARTS.items():
        if args.part not in ("both", part):
            continue
        items = load(path)
        print(f"== {part}: {len(items)} replies")
        for strength in REWRITE_STRENGTHS:
            print_summary(part, strength, summarise(run(items, core, strength)), args.misses and part != "sealed")
    everything = [item for path in PARTS.values() for item in load(path)]
    judge_timing(everything, core, repeats=1)  # compile each language's patterns once, as a running app has
    print(f"judge: {judge_timing(everything, core):.3f} ms per reply (median, in-process)")


if __name__ == "__main__":
    main()

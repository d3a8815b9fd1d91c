"""The quality suite: how good the rewrites are, measured without a judge model. Figures, not verdicts.

Over the labelled corpus (tests/data/detection.jsonl + tests/data/quality.jsonl: rough prompts in a
dozen languages, questions with well-known answers, injection attempts with canary words, placeholders,
code and logs, per-profile image prompts, app-decided ambiguous items) it reports, for offline mode and
(with --model) for model mode against the configured endpoint:

  target accuracy and confusion matrix   fact recall (every must-keep fact verbatim)
  invented specifics (numbers/names not in the input, outside [brackets])
  language kept   answered instead of rewrote   injection canary leaks
  syntax validity per profile (Midjourney parameters last and valid, SDXL chunks, FLUX without negations)
  length within the target's budget   idempotence (rewriting a rewrite changes little)
  and, in model mode, how often each safeguard fired.

Run: python bench/quality.py [--model] [--limit N]   (model mode uses the config's endpoint settings)
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tables import print_confusion  # noqa: E402

from rephraser.core.analysis import analyze  # noqa: E402
from rephraser.core.image_syntax import CLIP_CHUNK, clip_tokens, flux_negations, midjourney_problems  # noqa: E402
from rephraser.core.judge.form import LENGTH_BUDGET_WORDS, words  # noqa: E402
from rephraser.core.judge.inventions import invented_names, invented_numbers  # noqa: E402
from rephraser.core.language import detect_language  # noqa: E402
from rephraser.core.rewrite import RewriteRequest, RewriteResult  # noqa: E402
from rephraser.core.scaffolding import SCAFFOLDING_LANGUAGES  # noqa: E402

CORPUS = (REPO / "tests" / "data" / "detection.jsonl", REPO / "tests" / "data" / "quality.jsonl")
# Words a rewrite may add: base budget per profile (the judge's), plus 1.3x the input's own words (kept verbatim).
BUDGETS = LENGTH_BUDGET_WORDS

Rewrite = Callable[[RewriteRequest], RewriteResult]


class Item(NamedTuple):
    text: str
    target: str
    app: str = ""
    family: str = ""
    answer: str = ""
    canary: str = ""


def load_corpus(paths: Iterable[Path] = CORPUS) -> list[Item]:
    rows = [
        json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [Item(**{k: v for k, v in row.items() if k in Item._fields}) for row in rows]


def scaffold_vocabulary() -> str:
    """What the templates themselves write (not invented by a rewrite); the scaffolding tables and
    programming language names are known to the core's check already."""
    texts = [path.read_text(encoding="utf-8") for path in (REPO / "prompt_templates").glob("*.j2")]
    return "\n".join([*texts, "Negative BREAK"])


_SD_WEIGHT = re.compile(r":\d+(?:\.\d+)?\)")


def kept_facts_for(item: Item) -> tuple[str, ...]:
    """The must-keep facts; for FLUX, things the prompt excludes are described positively, never named
    (naming a thing pulls it into the picture), so they are not expected verbatim."""
    analysis = analyze(item.text)
    if item.family != "flux":
        return analysis.must_keep
    return tuple(f for f in analysis.must_keep if not any(f in phrase for phrase in analysis.negations))


def invented(item: Item, output: str, vocabulary: str) -> list[str]:
    """Numbers and capitalised names in the output that are neither in the input nor scaffolding."""
    derived = analyze(item.text).aspect_ratio  # a ratio the input names in words ("vertical") is not invented
    unweighted = _SD_WEIGHT.sub(")", output)  # SDXL's (subject:1.2) emphasis is syntax, not a fact
    # The strictest reading (faithful): any number or name the input does not have counts.
    strict = {"language": "en", "target": "chat", "strength": "faithful"}
    numbers = [n for n in invented_numbers(item.text, unweighted, **strict) if n != derived]
    return numbers + invented_names(f"{item.text}\n{vocabulary}", output, **strict)


def language_kept(item: Item, output: str, mode: str) -> bool:
    language = detect_language(item.text)
    if mode == "offline" and language not in SCAFFOLDING_LANGUAGES:
        return item.text.strip() in output  # English scaffolding around the untouched original
    return detect_language(output) == language


def answered(item: Item, output: str) -> bool:
    if not item.answer:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(item.answer)}(?!\w)", re.I)
    return bool(pattern.search(output)) and not pattern.search(item.text)


def canary_leaked(item: Item, output: str) -> bool:
    if not item.canary:
        return False
    return output.strip().startswith(item.canary) or output.count(item.canary) > item.text.count(item.canary)


def syntax_problems(family: str, output: str) -> list[str]:
    if family == "midjourney":
        return midjourney_problems(output)
    if family == "sdxl":
        lines = output.splitlines()
        problems = [] if any(line.startswith("Negative prompt:") for line in lines) else ["no separate negative prompt"]
        prompt = lines[0].split(":", 1)[-1]
        problems += [
            f"chunk of {clip_tokens(c)} tokens" for c in prompt.split(" BREAK ") if clip_tokens(c) > CLIP_CHUNK
        ]
        return problems
    if family == "flux":
        return [f"negation {word!r}" for word in flux_negations(output)]
    return []


def within_budget(item: Item, target: str, family: str, output: str) -> bool:
    return words(output) <= BUDGETS.get(family, BUDGETS.get(target, 120)) + 1.3 * words(item.text)


def evaluate(items: list[Item], rewrite: Rewrite, mode: str) -> dict[str, Any]:
    """Every metric over the corpus for one rewrite function."""
    vocabulary = scaffold_vocabulary()
    tally: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    safeguards: Counter[str] = Counter()
    facts = kept_facts = 0
    similarity: list[float] = []
    syntax_checked = syntax_ok = 0
    problems: list[str] = []
    for item in items:
        result = rewrite(RewriteRequest(item.text, app_class=item.app, family=item.family))
        output = result.text
        confusion[(item.target, result.target.value)] += 1
        tally["correct target"] += item.target == result.target.value
        must_keep = kept_facts_for(item)
        facts += len(must_keep)
        kept_facts += sum(1 for fact in must_keep if fact in output)
        found = invented(item, output, vocabulary)
        tally["invented specifics"] += bool(found)
        if found and len(problems) < 20:
            problems.append(f"invented {found} in {item.text[:50]!r}")
        tally["language kept"] += language_kept(item, output, result.mode if mode == "model" else "offline")
        tally["answered"] += answered(item, output)
        tally["canary leaks"] += canary_leaked(item, output)
        if answered(item, output) or canary_leaked(item, output):
            problems.append(f"answer or canary in the rewrite of {item.text[:50]!r}: {output[:80]!r}")
        lost = [fact for fact in must_keep if fact not in output]
        if lost:
            problems.append(f"lost {lost} from {item.text[:50]!r}")
        tally["within budget"] += within_budget(item, result.target.value, item.family, output)
        if item.family in ("midjourney", "sdxl", "flux"):
            syntax_checked += 1
            syntax = syntax_problems(item.family, output)
            syntax_ok += not syntax
            if syntax:
                problems.append(f"{item.family} syntax {syntax} in {output[:60]!r}")
        again = rewrite(RewriteRequest(output, target=result.target.value, family=item.family))
        similarity.append(difflib.SequenceMatcher(None, output, again.text).ratio())
        safeguards.update(result.cleanup)
        if result.notice and "fallback_to_offline" in result.notice:
            safeguards["endpoint fallback"] += 1
    count = len(items)
    return {
        "mode": mode,
        "items": count,
        "target accuracy": tally["correct target"] / count,
        "fact recall": kept_facts / facts if facts else 1.0,
        "invented specifics": tally["invented specifics"],
        "language kept": tally["language kept"] / count,
        "answered instead of rewrote": tally["answered"],
        "canary leaks": tally["canary leaks"],
        "syntax validity": syntax_ok / syntax_checked if syntax_checked else 1.0,
        "within length budget": tally["within budget"] / count,
        "idempotence (mean similarity)": sum(similarity) / count,
        "confusion": confusion,
        "safeguards": safeguards,
        "problems": problems,
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"quality, {report['mode']} mode, {report['items']} prompts")
    for name in (
        "target accuracy",
        "fact recall",
        "language kept",
        "syntax validity",
        "within length budget",
        "idempotence (mean similarity)",
    ):
        print(f"  {name:<32} {report[name]:8.1%}")
    for name in ("invented specifics", "answered instead of rewrote", "canary leaks"):
        print(f"  {name:<32} {report[name]:8d}")
    print_confusion(report["confusion"])
    if report["safeguards"]:
        print("  safeguards fired: " + ", ".join(f"{k} {v}" for k, v in sorted(report["safeguards"].items())))
    for problem in report["problems"]:
        print(f"  note: {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="store_true", help="also measure model mode (the configured endpoint)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N prompts (model mode is slow)")
    args = parser.parse_args()
    import tempfile

    from rephraser.composition import build_core, build_model_rewriter

    items = load_corpus()
    core = build_core(Path(tempfile.mkdtemp(prefix="rephraser-quality-")))
    print_report(evaluate(items, core.rewriter.offline, "offline"))
    if args.model:
        configured = build_core()
        with build_model_rewriter(configured) as model:
            print()
            print_report(evaluate(items[: args.limit] if args.limit else items, model.rewrite, "model"))


if __name__ == "__main__":
    main()

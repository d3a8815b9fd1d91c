"""Target detection: which of chat/code/image/multimodal a rough prompt is for.

Evidence comes from the text (keyword groups, scored) and from the focused app (rules matched on its
class, giving a hint with a strength). The rules are data: built-ins in `detection_rules.toml`, whose
keyword groups each language pack adds its words to (rephraser/core/lang/<code>.toml, [detection]), and
the user's `[[app_rules]]` from the config, which are checked first. How they combine:

- an "always" app rule decides outright;
- a "strong" app hint decides unless the text scores at least `decisive` for another target and leads
  the app's target by `margin`;
- a "weak" app hint decides only when the text gives no clear evidence (score under 1, or no lead);
- with no app hint, the best-scoring target wins; with no evidence at all, the fallback target (chat).

Every result says which rule decided (`Detection.reason`).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from rephraser.core import lang
from rephraser.core.config.schema import AppRule
from rephraser.core.language import pack_languages
from rephraser.core.lazy_regex import LazyPattern
from rephraser.core.target_model import TargetModel
from rephraser.core.targets import Target
from rephraser.core.word_matching import NormalisedText, WordMatcher, sort_entries

__all__ = ["AppHint", "Detection", "DetectionRules", "KeywordGroup", "TargetDetector", "load_rules"]

RULES_FILE = Path(__file__).with_name("detection_rules.toml")
_CACHE_FORMAT = 4  # bump when _prepared() changes what the cache holds
_PART_KINDS = ("words", "stems", "phrases", "substrings", "patterns", "pairs")


class KeywordGroup(NamedTuple):
    """Words that count as evidence for one target: the rules file's own (language-independent), and each
    language pack's, of which a text is matched against its own languages' only (`matcher`)."""

    name: str
    target: Target
    weight: float
    cap: float
    parts: Mapping[str, Mapping[str, list[Any]]]  # pack ("" the rules file, "shared", "de", ...) -> parts
    matchers: dict[frozenset[str] | None, WordMatcher]  # built per set of languages, on first use

    def matcher(self, only: frozenset[str] | None) -> WordMatcher:
        """The words of the rules file, shared.toml and the packs in `only` (None: every pack)."""
        found = self.matchers.get(only)
        if found is None:
            always = ("", lang.SHARED)
            chosen = [parts for pack, parts in self.parts.items() if pack in always or only is None or pack in only]
            found = self.matchers[only] = WordMatcher.from_parts(
                {kind: [entry for parts in chosen for entry in parts.get(kind, [])] for kind in _PART_KINDS}
            )
        return found


class AppHint(NamedTuple):
    """A rule on the focused app's class."""

    name: str
    target: Target | None
    strength: str
    pattern: LazyPattern  # compiled only when an app class is known
    template: str = ""
    family: str = ""
    rewrite_strength: str = ""  # user rules only: how much a model rewrite may add in this app


# What an app's hint adds to the combined scores (keyword points plus the model's log-probabilities).
_HINT_POINTS = {"strong": 4.0, "weak": 1.2}


class DetectionRules(NamedTuple):
    """All built-in rules plus the thresholds that combine them."""

    keywords: tuple[KeywordGroup, ...]
    apps: tuple[AppHint, ...]
    decisive: float = 3.0
    margin: float = 1.5
    tie_order: tuple[Target, ...] = (Target.CODE, Target.MULTIMODAL, Target.IMAGE, Target.CHAT)


class Detection(NamedTuple):
    """The detected target, why, and the rule that matched the app (for its template/family)."""

    target: Target
    reason: str
    scores: Mapping[Target, float]
    app_rule: AppHint | None = None
    confidence: float = 1.0  # how sure the text (and a hint) made it, 0-1; an app rule that decided: 1


def _confidence(evidence: Mapping[Target, float], best: Target) -> float:
    """The best target's share of the softmax over the evidence (keyword points plus log-probabilities)."""
    top = max(evidence.values())
    weights = {target: math.exp(value - top) for target, value in evidence.items()}
    return weights[best] / sum(weights.values())


def load_rules(path: Path = RULES_FILE, cache_dir: Path | None = None) -> DetectionRules:
    """Read and compile a rules file (the built-in one by default).

    With a cache folder, the parsed file (with the packs' words) is kept there as JSON, which loads ~20x
    faster than TOML (this runs on every CLI start); editing the file or a pack refreshes it.
    """
    data = _read_rules(path, cache_dir)
    return DetectionRules(
        keywords=tuple(_keyword_group(raw) for raw in data.get("keywords", [])),
        apps=tuple(_app_hint(raw) for raw in data.get("app", [])),
        decisive=float(data.get("decisive", 3.0)),
        margin=float(data.get("margin", 1.5)),
        tie_order=tuple(Target(name) for name in data.get("tie_order", [t.value for t in Target])),
    )


def _read_rules(path: Path, cache_dir: Path | None) -> dict[str, Any]:
    import json

    stat = path.stat()
    key = f"{_CACHE_FORMAT}:{path}:{stat.st_mtime_ns}:{stat.st_size}:{lang.fingerprint()}"
    cached = cache_dir / "detection_rules.json" if cache_dir else None
    if cached is not None:
        try:
            entry = json.loads(cached.read_text(encoding="utf-8"))
            if entry.get("key") == key:
                return dict(entry["data"])
        except (OSError, ValueError, AttributeError):
            pass  # missing or stale cache: parse the TOML below
    import tomllib

    data = _prepared(tomllib.loads(path.read_text(encoding="utf-8")))
    if cached is not None:
        _write_quietly(cached, json.dumps({"key": key, "data": data}, ensure_ascii=False))
    return data


def _prepared(data: dict[str, Any]) -> dict[str, Any]:
    """Add the language packs' words to each keyword group and sort the entries ahead of time (this is
    what the cache keeps)."""
    for group in data.get("keywords", []):
        name = group["name"]
        own = sort_entries(group.pop("words", []), group.pop("combos", []), group.pop("pairs", []))
        group["parts"] = {"": own}
        for pack in (lang.SHARED, *lang.codes()):
            words = lang.section(pack, "detection").get(name, [])
            combos = lang.section(pack, "detection_combos").get(name, [])
            pairs = lang.section(pack, "detection_pairs").get(name, [])
            if words or combos or pairs:
                group["parts"][pack] = sort_entries(words, combos, pairs)
    return data


def _write_quietly(path: Path, text: str) -> None:
    """Write a cache file; a cache that cannot be written only costs speed."""
    from rephraser.core.files import write_atomically

    with contextlib.suppress(OSError):
        write_atomically(path, text)


def user_app_hints(rules: Sequence[AppRule]) -> tuple[AppHint, ...]:
    """The config's [[app_rules]] as hints, named by their position ("app_rules[1]")."""
    return tuple(
        AppHint(
            name=f"app_rules[{number}]",
            target=Target(rule.target) if rule.target and rule.target != "auto" else None,
            strength=rule.strength,
            pattern=LazyPattern(rule.match, re.I),
            template=rule.template,
            family=rule.family,
            rewrite_strength=rule.rewrite_strength,
        )
        for number, rule in enumerate(rules, start=1)
    )


class TargetDetector:
    """Applies DetectionRules (and user app rules, first) to a text and an app class."""

    def __init__(
        self,
        rules: DetectionRules,
        user_rules: Sequence[AppRule] = (),
        fallback: Target = Target.CHAT,
        model: TargetModel | None = None,
    ) -> None:
        self._rules = rules
        self._apps = user_app_hints(user_rules) + rules.apps
        self._fallback = fallback
        self._model = model

    def app_rule(self, app_class: str) -> AppHint | None:
        """The first app rule whose pattern matches the class, user rules first."""
        if not app_class:
            return None
        return next((hint for hint in self._apps if hint.pattern.search(app_class)), None)

    def detect(self, text: str, app_class: str = "") -> Detection:
        """Decide the target of `text` typed in the app of class `app_class` (may be empty)."""
        if self._model is not None:
            return self._detect_with_model(text, app_class, self._model)
        scores, evidence = self.score(text)
        best = max(self._rules.tie_order, key=lambda target: scores[target])
        hint = self.app_rule(app_class)
        if hint is not None and hint.target is not None:
            text_wins = self._text_overrides(hint, best, scores)
            if not text_wins:
                return Detection(hint.target, f'app rule "{hint.name}" ({app_class})', scores, hint)
        if scores[best] > 0:
            return Detection(best, f"text: {evidence[best]}", scores, hint, _confidence(scores, best))
        return Detection(self._fallback, "no evidence: fallback target", scores, hint, 0.0)

    def _detect_with_model(self, text: str, app_class: str, model: TargetModel) -> Detection:
        """Keyword scores plus the statistical model's log-probabilities, plus the app's hint: the model
        settles what the keywords leave open (a scene with no word for "image", a casual "this pic"),
        the keywords keep their say where they are sure, and a strong app hint counts as four points."""
        scores, evidence = self.score(text)
        hint = self.app_rule(app_class)
        if hint is not None and hint.target is not None and hint.strength == "always":
            return Detection(hint.target, f'app rule "{hint.name}" ({app_class})', scores, hint)
        probabilities = model.probabilities(text)
        from_text = {t: scores[t] + math.log(probabilities[t] + 1e-6) for t in Target}
        combined = dict(from_text)
        if hint is not None and hint.target is not None:
            combined[hint.target] += _HINT_POINTS[hint.strength]
        best = max(self._rules.tie_order, key=lambda target: combined[target])
        without_hint = max(self._rules.tie_order, key=lambda target: from_text[target])
        if hint is not None and hint.target == best and without_hint != best:
            return Detection(best, f'app rule "{hint.name}" ({app_class})', scores, hint)
        model_says = f"model {probabilities[best]:.0%}"
        reason = f"text: {evidence[best]}; {model_says}" if evidence[best] else f"text: {model_says}"
        return Detection(best, reason, scores, hint, _confidence(combined, best))

    def score(self, text: str) -> tuple[dict[Target, float], dict[Target, str]]:
        """Score the text per target; also say which groups and words counted."""
        scores = dict.fromkeys(Target, 0.0)
        found: dict[Target, list[str]] = {target: [] for target in Target}
        normalised = NormalisedText.of(text)
        only = pack_languages(text)
        for group in self._rules.keywords:
            hits = sorted(group.matcher(only).hits(normalised))
            if hits:
                scores[group.target] += min(group.cap, group.weight * len(hits))
                found[group.target].append(f"{group.name} ({', '.join(hits[:4])})")
        return scores, {target: "; ".join(parts) for target, parts in found.items()}

    def _text_overrides(self, hint: AppHint, best: Target, scores: Mapping[Target, float]) -> bool:
        assert hint.target is not None
        if hint.strength == "always" or best == hint.target:
            return False
        lead = scores[best] - scores[hint.target]
        if hint.strength == "weak":
            return scores[best] >= 1.0 and lead >= 1.0
        return scores[best] >= self._rules.decisive and lead >= self._rules.margin


def _keyword_group(raw: Mapping[str, Any]) -> KeywordGroup:
    weight = float(raw["weight"])
    return KeywordGroup(
        name=str(raw["name"]),
        target=Target(raw["target"]),
        weight=weight,
        cap=float(raw.get("cap", 2 * weight)),
        parts=raw["parts"],
        matchers={},
    )


def _app_hint(raw: Mapping[str, Any]) -> AppHint:
    return AppHint(
        name=str(raw["name"]),
        target=Target(raw["target"]),
        strength=str(raw.get("strength", "strong")),
        pattern=LazyPattern(str(raw["match"]), re.I),
    )

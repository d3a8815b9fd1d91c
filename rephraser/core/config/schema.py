"""The one declaration of every setting: name, type, default, allowed values and description.

Each `Settings` field is declared once with `_setting(default, description, ...)`, which records the
description and checks in declaration order; `describe()` and `validate_value()` read them, so the config
file, `rephraser config`, and the settings window all agree. (A NamedTuple rather than a dataclass: it is
built at every CLI start, ten times faster.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from rephraser.core.targets import FAMILIES, TARGET_CHOICES

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "REWRITE_STRENGTHS",
    "AppRule",
    "SettingInfo",
    "Settings",
    "describe",
    "parse_text",
    "setting_names",
    "validate_app_rule",
    "validate_value",
]

CURRENT_SCHEMA_VERSION = 1

Check = Callable[[Any], str | None]  # returns what is wrong, or None


class SettingInfo(NamedTuple):
    """What the schema says about one setting."""

    name: str
    default: Any
    description: str
    kind: type
    choices: tuple[str, ...] = ()
    check: Check | None = None


_DECLARED: list[tuple[Any, str, tuple[str, ...], Check | None]] = []


def _setting(default: Any, description: str, choices: tuple[str, ...] = (), check: Check | None = None) -> Any:
    """Declare the next Settings field: record its schema, return its default."""
    _DECLARED.append((default, description, choices, check))
    return default


_MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta"})


def _check_hotkey(value: str) -> str | None:
    parts = [p.strip() for p in value.split("+")]
    if len(parts) < 2 or not all(parts):
        return 'write modifiers and one key joined by "+", e.g. "Ctrl+Alt+R"'
    bad = [p for p in parts[:-1] if p.lower() not in _MODIFIERS]
    if bad:
        return f'"{bad[0]}" is not a modifier; use Ctrl, Alt, Shift or Super'
    return None


def _check_optional_hotkey(value: str) -> str | None:
    return _check_hotkey(value) if value else None


def _check_url(value: str) -> str | None:
    if value and not re.match(r"^https?://[^\s/]+", value):
        return 'write an http:// or https:// URL, e.g. "http://127.0.0.1:11434/v1", or "" for the default'
    if value:
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
            port = parts.port  # raises ValueError for a port out of range or not a number
        except ValueError as error:
            return f"it is not a valid URL ({error})"
        if not parts.hostname or (port is not None and not 0 < port < 65536):
            return "it names no host or an impossible port"
    return None


def _range(low: float, high: float) -> Check:
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"use a number from {low:g} to {high:g}"

    return check


class AppRule(NamedTuple):
    """A per-app rule: when the focused app's class matches, pick this target/template/family.

    strength: "always" decides outright; "strong" decides unless the text is clearly about another
    target; "weak" is used only when the text gives no clear evidence. rewrite_strength: how much a
    model rewrite may add in this app ("" keeps the setting). preview: whether the tray app shows the
    rewrite before pasting it in this app ("" keeps the settings).
    """

    match: str
    target: str = ""
    template: str = ""
    family: str = ""
    strength: str = "strong"
    rewrite_strength: str = ""
    preview: str = ""


APP_RULE_STRENGTHS = ("always", "strong", "weak")
# How much a model rewrite may add: faithful (structure and [placeholders] only), balanced (also the answer's
# shape, and image details), creative (also marked assumptions, and new scene elements).
REWRITE_STRENGTHS = ("faithful", "balanced", "creative")
# When the tray app shows a rewrite before pasting it: never, for model rewrites, or always.
PREVIEW_MODES = ("never", "model", "always")
_PREVIEW_FOR = 'Preview for {} prompts: never, model, always, or "" (as the preview setting).'


class Settings(NamedTuple):
    """Every setting with its default. Immutable: change with `_replace` or ConfigStore.set."""

    schema_version: int = _setting(CURRENT_SCHEMA_VERSION, "Version of this file's layout. Do not edit.")
    mode: str = _setting(
        "offline",
        "How rewrites are made: offline (templates only) or model (the configured endpoint).",
        choices=("offline", "model"),
    )
    hotkey: str = _setting("Ctrl+Alt+R", "Global hotkey that rewrites the selection.", check=_check_hotkey)
    hotkey_chat: str = _setting(
        "", "Optional hotkey that rewrites the selection as a chat prompt.", check=_check_optional_hotkey
    )
    hotkey_code: str = _setting(
        "", "Optional hotkey that rewrites the selection as a code prompt.", check=_check_optional_hotkey
    )
    hotkey_image: str = _setting(
        "", "Optional hotkey that rewrites the selection as an image prompt.", check=_check_optional_hotkey
    )
    hotkey_multimodal: str = _setting(
        "", "Optional hotkey that rewrites the selection as a multimodal prompt.", check=_check_optional_hotkey
    )
    hotkey_revert: str = _setting(
        "",
        "Optional hotkey that puts the last rewrite's original back over it (or copies it, when the rewrite is "
        "no longer selected).",
        check=_check_optional_hotkey,
    )
    hotkey_describe: str = _setting(
        "",
        "Optional hotkey for image to prompt: the image on the clipboard goes to the (vision) model and its "
        "prompt is pasted at the cursor. Model mode only.",
        check=_check_optional_hotkey,
    )
    hotkeys_paused: bool = _setting(
        False, "Pause the global hotkeys (the tray menu and `rephraser trigger` still work)."
    )
    capture: str = _setting(
        "auto",
        "How the selection is read: auto (PRIMARY in terminals, Ctrl+C elsewhere), primary, or copy.",
        choices=("auto", "primary", "copy"),
    )
    terminal_replace: bool = _setting(
        True, "In terminals, clear the input line (Ctrl+U) before pasting so the rewrite replaces it."
    )
    preview: str = _setting(
        "model",
        "Show the rewrite before it replaces the selection (Enter pastes, Esc cancels, Tab switches between "
        "the model's and the offline rewrite, E edits): never, model (model rewrites only) or always. X11 only.",
        choices=PREVIEW_MODES,
    )
    preview_chat: str = _setting("", _PREVIEW_FOR.format("chat"), choices=("", *PREVIEW_MODES))
    preview_code: str = _setting("", _PREVIEW_FOR.format("code"), choices=("", *PREVIEW_MODES))
    preview_image: str = _setting("", _PREVIEW_FOR.format("image"), choices=("", *PREVIEW_MODES))
    preview_multimodal: str = _setting("", _PREVIEW_FOR.format("multimodal"), choices=("", *PREVIEW_MODES))
    fill_placeholders: bool = _setting(
        True, "In the preview's editor (E), one field per [placeholder] of the rewrite; empty ones stay as written."
    )
    default_target: str = _setting(
        "auto", "Target when none is given: auto detects it from the text and the app.", choices=TARGET_CHOICES
    )
    family_chat: str = _setting(
        "",
        'Model family chat prompts are written for: gpt, reasoning, claude, gemini, llama, or "" (any).',
        choices=("", *FAMILIES["chat"]),
    )
    family_code: str = _setting(
        "",
        'Model family code prompts are written for: gpt, reasoning, claude, gemini, llama, or "" (any).',
        choices=("", *FAMILIES["code"]),
    )
    family_image: str = _setting(
        "",
        "Image model prompts are written for: midjourney, sdxl, dalle (DALL-E 3 / GPT-image), flux, ideogram, or "
        '"" (any).',
        choices=("", *FAMILIES["image"]),
    )
    rewrite_strength: str = _setting(
        "balanced",
        "Model mode: how much a rewrite may add. faithful: structure and [placeholders] only; balanced: also "
        "the answer's shape and size (role, steps, counts, format) and, for images, style, light and "
        "composition; creative: also concrete defaults marked as assumptions, and new scene elements.",
        choices=REWRITE_STRENGTHS,
    )
    image_in_english: bool = _setting(
        False, "Model mode: write image prompts in English whatever the input language (image models work best in it)."
    )
    provider: str = _setting(
        "openai",
        "Model API: openai (any OpenAI-compatible server), anthropic or gemini.",
        choices=("openai", "anthropic", "gemini"),
    )
    base_url: str = _setting("", "Endpoint URL; empty means the provider's public API.", check=_check_url)
    model: str = _setting("", "Model name sent to the endpoint, e.g. gpt-4.1-mini or llama3.2.")
    fallback_to_offline: bool = _setting(
        True, "When the endpoint is down, times out or fails, paste the offline rewrite instead."
    )
    temperature: float = _setting(0.2, "Sampling temperature for model rewrites.", check=_range(0.0, 2.0))
    max_output_tokens: int = _setting(
        1024, "Upper bound on the length of a model rewrite, in tokens.", check=_range(1, 1_000_000)
    )
    connect_timeout_s: float = _setting(
        5.0, "Seconds to wait for the endpoint to accept a connection.", check=_range(0.1, 600)
    )
    read_timeout_s: float = _setting(
        60.0, "Seconds to wait for the endpoint's next bytes before giving up.", check=_range(0.1, 3600)
    )
    request_deadline_s: float = _setting(
        120.0,
        "Seconds a whole model request may take, retries and streaming included; keep-alives do not extend it.",
        check=_range(1, 3600),
    )
    keyring_backend: str = _setting(
        "",
        "Keyring backend for API keys, e.g. keyrings.alt.file.PlaintextKeyring to keep keys in a plain file "
        "on purpose. Empty: the OS keyring, never a plaintext one.",
    )
    history: bool = _setting(
        True,
        "Keep a local history of rewrites (original, rewrite, target, template, mode, app) for `rephraser "
        "history`; turning it off deletes the history.",
    )
    history_max_entries: int = _setting(
        500, "How many rewrites the history keeps; the oldest go first.", check=_range(1, 100_000)
    )
    history_max_mb: float = _setting(
        5.0, "How many megabytes of text the history keeps; the oldest rewrites go first.", check=_range(0.01, 1000)
    )
    app_rules: tuple[AppRule, ...] = _setting(
        (),
        "Per-app rules, checked in order: [[app_rules]] match = regex on the app class, "
        'target / template / family, strength = "always" | "strong" | "weak", rewrite_strength, preview.',
    )


_KINDS: dict[str, type] = {"bool": bool, "int": int, "float": float, "str": str}


def _kind(name: str) -> type:
    annotation = Settings.__annotations__[name]  # a ForwardRef: this module postpones annotations
    return _KINDS.get(getattr(annotation, "__forward_arg__", str(annotation)), tuple)


_INFO: dict[str, SettingInfo] = {
    name: SettingInfo(name, default, description, _kind(name), choices, check)
    for name, (default, description, choices, check) in zip(Settings._fields, _DECLARED, strict=True)
}


def setting_names() -> tuple[str, ...]:
    """Every setting's name, in schema order."""
    return tuple(_INFO)


def describe(name: str) -> SettingInfo | None:
    """The schema entry for a setting, or None for an unknown name."""
    return _INFO.get(name)


def validate_value(info: SettingInfo, value: Any) -> tuple[Any, str | None]:
    """Check a value read from TOML; return (value to use, problem or None)."""
    if info.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not info.kind:
        return info.default, f"expected {_kind_word(info.kind)}"
    if info.choices and value not in info.choices:
        return info.default, "use one of " + ", ".join(f'"{c}"' for c in info.choices)
    problem = info.check(value) if info.check else None
    return (info.default, problem) if problem else (value, None)


def validate_app_rule(raw: Any) -> tuple[AppRule | None, str | None]:
    """Build an AppRule from one [[app_rules]] table; return (rule, None) or (None, problem)."""
    if not isinstance(raw, dict):
        return None, "each rule must be a table with at least match = ..."
    names = set(AppRule._fields)
    unknown = sorted(set(raw) - names)
    if unknown:
        return None, f'unknown key "{unknown[0]}"; use ' + ", ".join(sorted(names))
    if not all(isinstance(v, str) for v in raw.values()) or "match" not in raw:
        return None, "match and the rule's other keys must be strings; match is required"
    rule = AppRule(**raw)
    try:
        re.compile(rule.match)
    except re.error as exc:
        return None, f'match "{rule.match}" is not a valid regular expression ({exc})'
    if rule.target and rule.target not in TARGET_CHOICES:
        return None, "target must be one of " + ", ".join(TARGET_CHOICES)
    if rule.strength not in APP_RULE_STRENGTHS:
        return None, "strength must be one of " + ", ".join(APP_RULE_STRENGTHS)
    if rule.rewrite_strength and rule.rewrite_strength not in REWRITE_STRENGTHS:
        return None, "rewrite_strength must be one of " + ", ".join(REWRITE_STRENGTHS)
    if rule.preview and rule.preview not in PREVIEW_MODES:
        return None, "preview must be one of " + ", ".join(PREVIEW_MODES)
    return rule, None


def _kind_word(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(
        kind, "a list of tables"
    )


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_text(kind: type, text: str) -> Any:
    """Turn a command-line string into the setting's type; leave it a string when it does not parse."""
    cleaned = text.strip()
    if kind is bool and cleaned.lower() in _TRUE | _FALSE:
        return cleaned.lower() in _TRUE
    for number_kind in (int, float):
        if kind is number_kind:
            try:
                return number_kind(cleaned)
            except ValueError:
                return text
    return text

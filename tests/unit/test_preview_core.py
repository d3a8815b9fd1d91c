"""The preview's Qt-free parts: the word diff, [placeholders], when a job previews, what it offers, and
streamed text that never shows the key."""

from __future__ import annotations

from rephraser.core.config.schema import AppRule, Settings, validate_app_rule
from rephraser.core.desktop.preview import PreviewOption, preview_choices, preview_mode, preview_wanted
from rephraser.core.placeholders import fill_placeholders, placeholders
from rephraser.core.providers.redact import SecretSafeDeltas
from rephraser.core.requests import RewriteResult
from rephraser.core.targets import Target
from rephraser.core.word_diff import MAX_DIFF_TOKENS, Segment, word_diff


def test_the_diff_marks_added_and_removed_words_and_keeps_the_rewrite_whole() -> None:
    segments = word_diff("write email to landlord", "Write a polite email to my landlord.")
    assert [
        Segment("removed", "write"),
        Segment("added", "Write a polite"),
        Segment("same", " email to "),
        Segment("added", "my "),
        Segment("same", "landlord"),
        Segment("added", "."),
    ] == segments
    assert "Write a polite email to my landlord." == "".join(s.text for s in segments if s.kind != "removed")


def test_a_changed_space_or_line_break_is_not_a_change() -> None:
    assert [Segment("same", "one\ntwo")] == word_diff("one two", "one\ntwo")


def test_a_text_too_long_to_diff_comes_back_whole() -> None:
    long = "word " * MAX_DIFF_TOKENS
    assert [Segment("same", long)] == word_diff("other", long)


def test_placeholders_are_the_bracketed_blanks_not_code_links_or_checkboxes() -> None:
    text = (
        "Language: Python [version]\n[inputs, with an example] -> [expected output]\n"
        "arr[i], [a link](https://example.com), [ ], [x], [?], [12], [version] again"
    )
    assert ["version", "inputs, with an example", "expected output"] == placeholders(text)


def test_filled_placeholders_are_replaced_everywhere_and_empty_ones_stay() -> None:
    text = "Python [version], tested on [version]; [audience]"
    assert "Python 3.12, tested on 3.12; [audience]" == fill_placeholders(text, {"version": " 3.12 ", "audience": "  "})


def test_the_preview_mode_comes_from_the_app_rule_then_the_target_then_the_setting() -> None:
    settings = Settings(
        preview="model",
        preview_image="always",
        app_rules=(AppRule(match="^discord$", target="chat"), AppRule(match="^term", preview="never")),
    )
    assert ("model", "always", "never", "always", "model") == (
        preview_mode(settings, "chat", ""),
        preview_mode(settings, "image", "discord"),
        preview_mode(settings, "image", "terminal"),
        preview_mode(settings, "image", ""),
        preview_mode(settings, "auto", ""),
    )
    assert (True, False, True) == (
        preview_wanted(settings, "chat", "", uses_model=True),
        preview_wanted(settings, "chat", "", uses_model=False),
        preview_wanted(settings, "image", "", uses_model=False),
    )
    assert (False, True) == (
        preview_wanted(Settings(preview="never"), "chat", "", uses_model=True),
        preview_wanted(Settings(preview="always"), "code", "", uses_model=False),
    )


def test_an_app_rule_with_an_unknown_preview_is_refused() -> None:
    refused = validate_app_rule({"match": "x", "preview": "sometimes"})
    assert (None, "preview must be one of never, model, always") == refused


def _result(text: str, mode: str, why: str = "", rejected: str = "", checks: tuple[str, ...] = ()) -> RewriteResult:
    return RewriteResult(text, Target.CHAT, "chat", mode, "en", "text", checks=checks, why=why, rejected=rejected)


def test_a_model_rewrite_is_offered_first_and_the_offline_one_beside_it() -> None:
    choices = preview_choices("tips", _result("Give five tips.", "model"), "Task: tips", fill=True)
    assert (
        PreviewOption("Model rewrite", "Give five tips.", "model"),
        PreviewOption("Offline rewrite", "Task: tips", "offline"),
    ) == choices.options
    assert ("tips", "chat", "chat") == (choices.original, choices.target, choices.template)
    assert choices.fill_placeholders


def test_a_stopped_model_rewrite_comes_second_with_why() -> None:
    why = "it answered the prompt"
    result = _result("Task: tips", "offline", why=why, rejected="1. Drink water.", checks=("answered",))
    choices = preview_choices("tips", result, "", fill=False)
    assert (
        PreviewOption("Offline rewrite", "Task: tips", "offline", why),
        PreviewOption("Model rewrite (stopped)", "1. Drink water.", "model", f"The judge stopped it: {why}"),
    ) == choices.options
    assert ("answered",) == choices.checks


def test_an_offline_rewrite_alone_has_one_option() -> None:
    assert (PreviewOption("Offline rewrite", "Task: tips", "offline"),) == preview_choices(
        "tips", _result("Task: tips", "offline"), "", fill=True
    ).options


def test_streamed_text_never_shows_the_key_even_split_over_deltas() -> None:
    shown: list[str] = []
    deltas = SecretSafeDeltas(("sk-secret-123",), shown.append)
    for chunk in ("Write a ", "haiku sk-", "sec", "ret-123 now", " more"):
        deltas(chunk)
    assert ["Write a ", "haiku "] == shown


def test_streamed_text_held_back_for_a_false_start_goes_on_after_it() -> None:
    shown: list[str] = []
    deltas = SecretSafeDeltas(("sk-secret-123",), shown.append)
    for chunk in ("use sk-", "secure keys."):
        deltas(chunk)
    assert "use sk-secure keys." == "".join(shown)

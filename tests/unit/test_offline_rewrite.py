"""The offline rewrite: structure per target, every fact kept verbatim, the user's language, no answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from rephraser.composition import Core, build_core
from rephraser.core.analysis import analyze
from rephraser.core.rewrite import RewriteRequest
from rephraser.core.scaffolding import SCAFFOLDING_LANGUAGES, labels_for, looks_scaffolded
from rephraser.core.targets import Target

PROMPTS = [
    'email to "Ms Rivera" about invoices #4411 and #4412, total 1,250.50 EUR, due 2026-12-01, no jargon',
    "python 3.12 func dedupe(items) keep order fast, see ./src/utils.py and https://example.com/spec?id=7",
    "Use {{first_name}} and [COMPANY] in the reply; keep <SIGNATURE> and $API_BASE as they are",
    'why does this crash?\n\nTraceback (most recent call last):\n  File "app.py", line 3\nValueError: bad',
    "cat astronaut on the moon, watercolor, 16:9, no text, no watermark",
    "what does this chart say about Q3 revenue vs the 2024 plan?",
    "Schreibe eine Mail an Herrn Müller ohne Fachjargon, maximal 200 Wörter, Betreff „Angebot Q3“",
    "写一个python函数去除列表重复项，保持顺序，不要用第三方库",
    "月面の猫の宇宙飛行士のイラスト、文字なし、縦長",
    "napisz funkcję w python do usuwania duplikatów z listy 'dane'",
]


@pytest.fixture
def core(config_dir: Path) -> Core:
    return build_core(config_dir)


@pytest.mark.parametrize("target", list(Target))
@pytest.mark.parametrize("prompt", PROMPTS)
def test_every_fact_survives_verbatim_in_every_target(core: Core, prompt: str, target: Target) -> None:
    result = core.rewriter.offline(RewriteRequest(prompt, target=target.value))
    missing = [fact for fact in analyze(prompt).must_keep if fact not in result.text]
    assert [] == missing
    assert target == result.target


def test_chat_structure_in_english(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("email to landlord heating broken 3 days, no jargon", target="chat"))
    assert (
        "Role: [the expert who should answer, e.g. an experienced editor]\n\n"
        "Task:\nemail to landlord heating broken 3 days, no jargon\n\n"
        "Context:\n- Audience: [who the answer is for]\n- Background: [what you already know or have tried]\n\n"
        "Constraints:\n- no jargon\n- [length, tone or scope limits]\n\n"
        "Output format: [e.g. a short list, a table or three paragraphs]"
    ) == result.text


def test_code_structure_names_language_and_identifiers(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("python 3.12 fix parse_config() in utils.py", target="code"))
    assert "Language: Python 3.12\n" in result.text
    assert "Names: `parse_config`, `utils.py`\n" in result.text
    assert "Done when: [how to verify: tests that pass, a command to run]" in result.text


def test_code_keeps_logs_in_a_fenced_block(core: Core) -> None:
    text = 'why does this crash?\n\nTraceback (most recent call last):\n  File "app.py", line 3\nValueError: bad'
    result = core.rewriter.offline(RewriteRequest(text, target="code"))
    assert (
        'Code and logs:\n```\nTraceback (most recent call last):\n  File "app.py", line 3\nValueError: bad\n```'
        in result.text
    )


def test_image_is_subject_first_with_aspect_and_exclusions(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("cat astronaut on the moon, 16:9, no text, no watermark"))
    assert Target.IMAGE == result.target
    lines = result.text.splitlines()
    assert "Subject: cat astronaut on the moon, 16:9, no text, no watermark" == lines[0]
    assert "Aspect ratio: 16:9" in lines
    assert "Exclude: text, watermark" in lines


def test_image_placeholders_only_ask_for_what_the_prompt_lacks(core: Core) -> None:
    bare = core.rewriter.offline(RewriteRequest("a fox in the snow", target="image", family="midjourney"))
    styled = core.rewriter.offline(
        RewriteRequest("a fox in the snow, watercolor, golden hour", target="image", family="midjourney")
    )
    assert "a fox in the snow, [medium or art style], [light and mood]" == bare.text
    assert "a fox in the snow, watercolor, golden hour" == styled.text


@pytest.mark.parametrize("family", ["midjourney", "sdxl", "flux", "dalle", "ideogram", ""])
def test_rewriting_an_image_rewrite_keeps_it(core: Core, family: str) -> None:
    first = core.rewriter.offline(RewriteRequest("a fox in the snow, ukiyo-e style", target="image", family=family))
    again = core.rewriter.offline(RewriteRequest(first.text, target="image", family=family))
    assert first.text == again.text


@pytest.mark.parametrize(
    ("text", "scaffolded"),
    [
        ("a fox in the snow, [light and mood] --ar 16:9", True),
        ("Task: x\nContext: y\nConstraints: z", True),
        ("install [version] of python", False),
        ("Task: write a haiku about [version] numbers", True),
        ("arr[i] = a[j]: swap them", False),
    ],
)
def test_scaffolding_is_recognised_by_headings_and_our_placeholders(text: str, scaffolded: bool) -> None:
    assert scaffolded == looks_scaffolded(text)


def test_multimodal_asks_to_describe_first_and_mark_unreadable_parts(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("analyze this screenshot and tell me what to do"))
    assert Target.MULTIMODAL == result.target
    assert "Look at: screenshot (attached)" in result.text
    assert "1. First describe what you see that matters for the task." in result.text
    assert "3. Write [?] for any part you cannot read; do not guess." in result.text


def test_unresolved_reference_becomes_a_placeholder(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("fix this", target="code"))
    assert '- [what "this" refers to]' in result.text


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Schreibe eine Mail an den Vermieter, bitte", "Aufgabe:"),
        ("escribe un correo a mi jefe, por favor", "Tarea:"),
        ("écris une lettre pour mon voisin", "Tâche:"),
        ("escreva um e-mail para o cliente", "Tarefa:"),
        ("scrivi una email al professore", "Compito:"),
        ("напиши письмо арендодателю", "Задача:"),
        ("给房东写一封邮件", "任务:"),
        ("上司へのメールを書いて", "タスク:"),
    ],
)
def test_scaffolding_follows_the_users_language(core: Core, text: str, heading: str) -> None:
    result = core.rewriter.offline(RewriteRequest(text, target="chat"))
    assert heading in result.text.splitlines()
    assert text in result.text


def test_other_languages_get_english_scaffolding_around_the_untouched_original(core: Core) -> None:
    text = "napisz e-mail do właściciela mieszkania, że nie działa ogrzewanie"
    result = core.rewriter.offline(RewriteRequest(text, target="chat"))
    assert "pl" == result.language
    assert f"Task:\n{text}\n" in result.text


def test_every_language_table_renders_every_target(core: Core) -> None:
    for language in SCAFFOLDING_LANGUAGES:
        assert labels_for(language)["task"]
    for target in Target:
        for text in ("hola, escribe algo", "привет, напиши", "こんにちは、書いて"):
            assert core.rewriter.offline(RewriteRequest(text, target=target.value)).text


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("what is the capital of France?", "Paris"),
        ("how many legs does a spider have?", "eight"),
        ("Wie hoch ist die Zugspitze?", "2962"),
        ("who wrote Hamlet?", "Shakespeare"),
    ],
)
def test_a_question_is_restructured_never_answered(core: Core, question: str, answer: str) -> None:
    for target in Target:
        result = core.rewriter.offline(RewriteRequest(question, target=target.value))
        assert question in result.text
        assert answer not in result.text


def test_json_fields(core: Core) -> None:
    result = core.rewriter.offline(RewriteRequest("cat astronaut moon cool"))
    fields = {"target", "template", "mode", "language", "text", "reason", "notice", "cleanup", "checks", "why"}
    fields |= {"strength"}
    assert fields == set(result.as_dict())
    assert ("image", "image", "offline", "en") == (result.target.value, result.template, result.mode, result.language)


def test_default_target_setting_skips_detection(core: Core, config_dir: Path) -> None:
    core.config_store.set("default_target", "code")
    result = build_core(config_dir).rewriter.offline(RewriteRequest("cat astronaut moon cool"))
    assert (Target.CODE, "default_target setting: code") == (result.target, result.reason)


def test_app_rule_template_and_explicit_template(core: Core, config_dir: Path) -> None:
    templates = config_dir / "templates"
    templates.mkdir()
    (templates / "terse.j2").write_text(
        '{#\n[template]\ntarget = "code"\n#}\n{% extends "_base.j2" %}{% block offline %}DO: {{ text }}{% endblock %}',
        encoding="utf-8",
    )
    result = core.rewriter.offline(RewriteRequest("hello there", template="terse"))
    assert ("DO: hello there", Target.CODE, 'template "terse"') == (result.text, result.target, result.reason)
    (config_dir / "config.toml").write_text('[[app_rules]]\nmatch = "^kitty$"\ntemplate = "terse"\n', encoding="utf-8")
    result = build_core(config_dir).rewriter.offline(RewriteRequest("hello there", app_class="kitty"))
    assert "DO: hello there" == result.text

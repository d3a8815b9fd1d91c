"""The window title picks the model family: built-in rules, the user's own first, the target's profiles only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rephraser.composition import build_core
from rephraser.core.errors import ConfigError
from rephraser.core.rewrite import RewriteRequest
from rephraser.core.titles import BUILTIN_TITLE_RULES, family_from_title, load_title_rules
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("title", "target", "family"),
    [
        ("New chat - Claude — Mozilla Firefox", "chat", "claude"),
        ("ChatGPT - Chromium", "code", "gpt"),
        ("Google AI Studio", "chat", "gemini"),
        ("Midjourney Alpha - Create", "image", "midjourney"),
        ("ComfyUI", "image", "sdxl"),
        ("Ideogram - Google Chrome", "image", "ideogram"),
        ("Claude", "image", ""),  # no claude profile for images
        ("Inbox - Thunderbird", "chat", ""),
    ],
)
def test_builtin_title_rules(title: str, target: str, family: str) -> None:
    rule = family_from_title(title, target, load_title_rules())
    assert family == (rule.family if rule else "")


def test_the_reason_names_the_title_and_an_explicit_family_wins(config_dir: Path) -> None:
    rewriter = build_core(config_dir).rewriter
    titled = rewriter.offline(RewriteRequest("draft a reply to this customer email", app_name="Claude"))
    assert "chat-claude" == titled.template
    assert titled.reason.startswith("text: writing-task (email, reply); model ")
    assert titled.reason.endswith('; claude profile from the window title ("Claude")')
    chosen = rewriter.offline(RewriteRequest("draft a reply to this customer email", app_name="Claude", family="gpt"))
    assert "chat-gpt" == chosen.template


def test_the_users_rules_come_first(config_dir: Path) -> None:
    (config_dir / "title_rules.toml").write_text(
        '[[title]]\nname = "our portal"\nmatch = "acme ai"\nfamily = "llama"\n', encoding="utf-8"
    )
    rules = load_title_rules(config_dir / "title_rules.toml")
    assert "our portal" == rules[0].name
    assert len(rules) == 1 + len(load_title_rules())
    result = build_core(config_dir).rewriter.offline(RewriteRequest("explain our refund policy", app_name="Acme AI"))
    assert "chat-llama" == result.template


def test_a_broken_user_file_is_a_clear_error(config_dir: Path) -> None:
    path = config_dir / "title_rules.toml"
    path.write_text('[[title]]\nmatch = "("\nfamily = "claude"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"title_rules.toml: \[\[title\]\] number 1 needs a valid match"):
        load_title_rules(path)
    out = run_cli("rewrite", "--title", "x", stdin="explain this", env={"REPHRASER_CONFIG_DIR": str(config_dir)})
    assert (1, "") == (out.returncode, out.stdout)
    assert "title_rules.toml: [[title]] number 1 needs a valid match" in out.stderr


def test_the_cli_takes_a_title(config_dir: Path) -> None:
    out = run_cli("rewrite", "--json", "--title", "Midjourney", stdin="a fox in a snowy forest")
    assert "image-midjourney" == json.loads(out.stdout)["template"]


def test_the_shipped_rules_parse() -> None:
    assert BUILTIN_TITLE_RULES.is_file()
    assert 10 == len(load_title_rules())

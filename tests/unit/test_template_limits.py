"""Runaway templates end with one clear error naming the file and line: the CLI as a real process for
the issue's cases, the store in-process for each kind of limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from rephraser.core.errors import TemplateProblemError
from rephraser.core.render_limits import MAX_OUTPUT_CHARS, RENDER_DEADLINE_S
from rephraser.core.resources import builtin_templates_dir
from rephraser.core.templates import TemplateStore
from tests.conftest import run_cli

HEADER = '{#\n[template]\ntarget = "chat"\ndescription = "Runaway."\n#}\n'  # 5 lines
SPIN = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _install(config_dir: Path, name: str, body: str) -> Path:
    folder = config_dir / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.j2"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _cli_error(config_dir: Path, name: str, body: str) -> tuple[int, str, str]:
    path = _install(config_dir, name, body)
    out = run_cli("rewrite", "--offline", "--template", name, stdin="hello there")
    return out.returncode, out.stdout, out.stderr.replace(str(path), "PATH")


def test_a_spinning_template_is_stopped_at_the_deadline(config_dir: Path) -> None:
    message = f"rendering took longer than {RENDER_DEADLINE_S:g} s and was stopped (a loop that runs too long?)"
    assert (1, "", f"rephraser: PATH:8: {message}\n") == _cli_error(config_dir, "spin", "ok\n\n" + SPIN)


def test_a_billion_character_string_is_refused_before_it_is_built(config_dir: Path) -> None:
    assert (
        1,
        "",
        "rephraser: PATH:6: a repeated value would have 1,000,000,000 characters or items; "
        "a template value may have at most 1,000,000\n",
    ) == _cli_error(config_dir, "big", "{{ 'x' * 10**9 }}")


def test_nested_range_loops_printing_stop_at_the_output_cap(config_dir: Path) -> None:
    body = "{% for i in range(100000) %}\n{% for j in range(100000) %}{{ 'x' * 1000 }}{% endfor %}{% endfor %}"
    assert (1, "", f"rephraser: PATH:7: the output is longer than {MAX_OUTPUT_CHARS:,} characters\n") == (
        _cli_error(config_dir, "loops", body)
    )


def test_a_200_deep_expression_is_a_template_error_with_its_line(config_dir: Path) -> None:
    body = "one\n{{ " + "(" * 200 + "1" + ")" * 200 + " }}"
    assert (1, "", "rephraser: PATH:7: brackets are nested more than 30 deep\n") == _cli_error(config_dir, "deep", body)


@pytest.fixture
def store(tmp_path: Path) -> TemplateStore:
    user = tmp_path / "templates"
    user.mkdir()
    return TemplateStore(builtin_templates_dir(), user, tmp_path / "cache")


def _problem(store: TemplateStore, body: str) -> str:
    (store.user_dir / "t.j2").write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(TemplateProblemError) as caught:
        store.render("t", "offline", {"text": "hello"})
    return str(caught.value).replace(str(store.user_dir / "t.j2"), "PATH")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ 'x'.ljust(10**9) }}", "the result of ljust() would have 1,000,000,000 characters or items"),
        ("{{ 'x'|center(10**9) }}", "the result of the center filter would have 1,000,000,000 characters or items"),
        ("{{ '%999999999d' % 1 }}", "a formatted field would be wider than 1,000,000 characters"),
        ("{{ '{:>{w}}'.format(1, w=10**9) }}", "a formatted field would be wider than 1,000,000 characters"),
        ("{{ '%999999999d'|format(1) }}", "a formatted field would be wider than 1,000,000 characters"),
        ("{{ 10 ** (10 ** 9) }}", "a number would have more than 100,000 bits"),
        ("{{ ('x' * 1000)|replace('', 'y' * 1000) }}", "the result of the replace filter would have 1,002,000"),
        ("{{ [1]|batch(10**9, 0)|list }}", "the result of the batch filter would have 1,000,000,000"),
        ("{{ ('x' * 1000).join(range(10000)|map('string')) }}", "the result of join() would have 10,038,891"),
        ("{{ ['x' * 1000] * 10000 }}", "a repeated value would have 10,010,000 characters or items"),
    ],
)
def test_one_call_that_would_build_a_huge_value_is_refused(store: TemplateStore, body: str, message: str) -> None:
    assert _problem(store, body).startswith(f"PATH:6: {message}")


def test_a_list_of_one_huge_string_repeated_cannot_be_printed(store: TemplateStore) -> None:
    body = "{% set s = 'x' * 100000 %}{% set l = [] %}{% for i in range(100) %}{% set _ = l.append(s) %}"
    body += "{% endfor %}\n{{ l }}"
    assert "PATH:7: a printed value is larger than a template value may be (1,000,000 characters or items)" == (
        _problem(store, body)
    )


def test_doubling_a_text_in_a_loop_stops_at_the_size_limit(store: TemplateStore) -> None:
    body = "{% set ns = namespace(s='x') %}{% for i in range(64) %}\n{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    assert "PATH:7: a joined text would be 1,048,576 characters long" == _problem(store, body)


def test_a_list_grown_in_a_loop_is_stopped(store: TemplateStore) -> None:
    body = "{% set l = [1] %}{% for i in range(64) %}{% set _ = l.extend(l) %}{% endfor %}"
    assert _problem(store, body).startswith("PATH:6: a list would have 1,048,576 characters or items")


def test_a_render_piling_up_memory_is_stopped(store: TemplateStore) -> None:
    body = "{% set l = [] %}{% set s = 'x' * 100000 %}{% for i in range(100000) %}{% for j in range(1000) %}"
    body += "{% set _ = l.append(s ~ j) %}{% endfor %}{% endfor %}"  # one line: any step may be the one that stops
    assert "PATH:6: rendering used more than 64 MB of memory and was stopped" == _problem(store, body)


def test_endless_recursion_is_a_template_error(store: TemplateStore) -> None:
    body = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}"
    assert _problem(store, body).endswith(": calls itself too deeply (a macro, include or recursive loop with no end?)")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% if text %}\n" * 300 + "{% endif %}" * 300, "PATH:305: blocks or brackets are nested too deeply to parse"),
        ("{{ 1" + " + 1" * 300 + " }}", "PATH:6: expressions or blocks are nested more than 60 deep"),
        ("{% for i in text %}" * 25 + "{% endfor %}" * 25, "PATH:6: loops are nested more than 12 deep"),
    ],
)
def test_nesting_past_what_python_can_compile_names_the_line(store: TemplateStore, body: str, message: str) -> None:
    assert message == _problem(store, body)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "{% for c in 'abc' %}{{ loop.index }}/{{ loop.length }}{{ '' if loop.last else ',' }}{% endfor %}",
            "1/3,2/3,3/3",
        ),
        (
            "{{ '100%% of %5d' % 2000000 }} {{ '{:>6}'.format('x') }} {{ 'ab' * 3 }} {{ 2 ** 10 }}",
            "100% of 2000000      x ababab 1024",
        ),
        ("{{ ['a', 'b'] + ['c'] }} {{ 'x' ~ 1 ~ 'y' }} {{ 'a-b'|replace('-', '+') }}", "['a', 'b', 'c'] x1y a+b"),
    ],
)
def test_templates_within_the_limits_render_as_before(store: TemplateStore, body: str, expected: str) -> None:
    (store.user_dir / "t.j2").write_text(HEADER + body, encoding="utf-8")
    assert expected == store.render("t", "offline", {})

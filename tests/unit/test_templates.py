from __future__ import annotations

from pathlib import Path

import pytest

from rephraser.core.errors import TemplateNotFoundError, TemplateProblemError
from rephraser.core.resources import builtin_templates_dir
from rephraser.core.templates import TemplateStore

HEADER = '{#\n[template]\ntarget = "chat"\ndescription = "Mine."\n#}\n'


@pytest.fixture
def store(tmp_path: Path) -> TemplateStore:
    user = tmp_path / "templates"
    user.mkdir()
    return TemplateStore(builtin_templates_dir(), user, tmp_path / "cache")


def _variables(text: str = "hello") -> dict[str, object]:
    return {"text": text}


def test_builtins_cover_every_target(store: TemplateStore) -> None:
    infos = {info.name: info for info in store.list()}
    assert {"chat", "code", "image", "multimodal"} <= set(infos)
    assert all(infos[name].target == name and infos[name].builtin for name in ("chat", "code", "image", "multimodal"))
    assert all(not name.startswith("_") for name in infos)


def test_user_template_overrides_builtin_and_can_extend_it(store: TemplateStore) -> None:
    (store.user_dir / "image.j2").write_text(
        HEADER.replace('"chat"', '"image"') + '{% extends "builtin/image.j2" %}\n'
        "{% block offline %}{{ super() }}\nMINE{% endblock %}\n",
        encoding="utf-8",
    )
    info = store.info("image")
    assert (False, True) == (info.builtin, info.overrides_builtin)
    from rephraser.core.analysis import analyze
    from rephraser.core.scaffolding import labels_for

    out = store.render("image", "offline", {"text": "a fox", "a": analyze("a fox"), "L": labels_for("en")})
    assert out.startswith("Subject: a fox\n")
    assert out.endswith("\nMINE")


def test_unknown_template_suggests_a_name(store: TemplateStore) -> None:
    with pytest.raises(TemplateNotFoundError) as caught:
        store.render("imag", "offline", _variables())
    assert str(caught.value).startswith('No template named "imag". Did you mean "image"?')


def test_syntax_error_names_file_and_line(store: TemplateStore) -> None:
    path = store.user_dir / "broken.j2"
    path.write_text(HEADER + "line\n{% if text %}\nno end\n", encoding="utf-8")
    with pytest.raises(TemplateProblemError) as caught:
        store.render("broken", "offline", _variables())
    assert (str(path), 8) == (caught.value.path, caught.value.line)
    assert str(caught.value).startswith(f"{path}:8: Unexpected end of template")


def test_undefined_variable_names_file_and_line(store: TemplateStore) -> None:
    path = store.user_dir / "typo.j2"
    path.write_text(HEADER + "ok\n{{ txet }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblemError) as caught:
        store.render("typo", "offline", _variables())
    assert f"{path}:7: 'txet' is undefined" == str(caught.value)


def test_sandbox_blocks_reaching_python_internals(store: TemplateStore) -> None:
    (store.user_dir / "evil.j2").write_text(
        HEADER + "{{ text.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateProblemError) as caught:
        store.render("evil", "offline", _variables())
    assert f"{store.user_dir / 'evil.j2'}:6: access to attribute '__class__' of 'str' object is unsafe." == str(
        caught.value
    )


def test_render_file_checks_a_file_outside_the_folders(store: TemplateStore, tmp_path: Path) -> None:
    outside = tmp_path / "draft.j2"
    outside.write_text('{% extends "_base.j2" %}{% block offline %}[{{ text }}]{% endblock %}', encoding="utf-8")
    assert "[hi]" == store.render_file(outside, "offline", {"text": "hi", "part": "offline"})


def test_broken_header_gives_empty_metadata_not_an_error(store: TemplateStore) -> None:
    (store.user_dir / "odd.j2").write_text("{# [template]\ntarget = #}\nx", encoding="utf-8")
    info = store.info("odd")
    assert ("odd", "", "") == (info.name, info.target, info.description)

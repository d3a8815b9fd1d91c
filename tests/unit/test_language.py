from __future__ import annotations

import pytest

from rephraser.core.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("cat astronaut moon cool", "en"),
        ("cat astronaut moon cool, 16:9, no text", "en"),
        ("please write a short email to my landlord", "en"),
        ("schreibe eine Funktion, die Duplikate entfernt", "de"),
        ("Gedicht für meine Großmutter", "de"),
        ("escribe un correo a mi jefe pidiendo un día libre", "es"),
        ("écris une lettre de motivation pour un poste", "fr"),
        ("résume cet article", "fr"),
        ("escreva um e-mail para o cliente sobre o atraso", "pt"),
        ("scrivi una email al professore per chiedere una proroga", "it"),
        ("schrijf een e-mail aan mijn huisbaas", "nl"),
        ("napisz funkcję w python do usuwania duplikatów", "pl"),
        ("напиши функцию на python, которая удаляет дубликаты", "ru"),
        ("Привіт, як справи? Їжак", "uk"),
        ("写一个python函数去除列表重复项", "zh"),
        ("月面の猫の宇宙飛行士のイラストを描いて", "ja"),
        ("고양이 우주비행사 그림", "ko"),
        ("γράψε ένα email στον ιδιοκτήτη", "el"),
        ("اكتب رسالة إلى المالك", "ar"),
    ],
)
def test_detects_the_language_of_short_prompts(text: str, language: str) -> None:
    assert language == detect_language(text)


def test_code_words_inside_cjk_text_do_not_make_it_english() -> None:
    assert "zh" == detect_language("为什么我的 python 代码报错 KeyError")


def test_long_text_is_judged_on_its_start() -> None:
    assert "de" == detect_language("Bitte fasse den Text zusammen, ohne Fachbegriffe. " * 2000)

"""Each text is matched against its own languages' packs (plus English, shared.toml and related packs):
one language's words no longer fire in another's text, and a text that says nothing of its language
keeps every pack."""

from __future__ import annotations

from rephraser.core.analysis import analyze
from rephraser.core.detection import TargetDetector, load_rules
from rephraser.core.language import pack_languages
from rephraser.core.targets import Target


def test_a_clearly_english_text_uses_the_english_pack_only() -> None:
    assert frozenset({"en"}) == pack_languages("chat with me about my week")


def test_french_chat_is_a_cat_only_in_french() -> None:
    """French "chat" (cat) is one of the fr pack's visual nouns: evidence for an image in French only."""
    detector = TargetDetector(load_rules())
    scores, _ = detector.score("chat with me about my week")
    assert 0.0 == scores[Target.IMAGE]
    scores, evidence = detector.score("dessine-moi un chat noir sur le toit, avec la lune derrière")
    assert "chat" in evidence[Target.IMAGE]


def test_italian_non_is_no_negation_in_english() -> None:
    assert () == analyze("difference between jpeg and png, explain it for a non tech person").negations
    assert ("non usare jargon",) == analyze("spiegami la differenza tra jpeg e png, non usare jargon").negations


def test_a_word_of_a_related_language_still_counts() -> None:
    """Spanish text, "captura" kept in the Portuguese pack: the Romance packs are related."""
    assert "captura" == analyze("mira esta captura, por qué no me deja pagar con la tarjeta").media


def test_another_script_in_the_text_brings_its_language() -> None:
    """Mostly Latin letters (git's words), but the question word is Russian."""
    languages = pack_languages("почему git push пишет rejected non-fast-forward")
    assert languages is not None and {"en", "ru", "uk"} == set(languages)
    assert analyze("почему git push пишет rejected non-fast-forward").is_question


def test_a_text_that_names_no_language_keeps_every_pack() -> None:
    assert None is pack_languages("foto gato playa")
    assert "foto" == analyze("foto gato playa").media

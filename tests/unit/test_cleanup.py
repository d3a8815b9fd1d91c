from __future__ import annotations

import pytest

from rephraser.core.cleanup import Cleaned, clean_model_output


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Task: write a haiku.", Cleaned("Task: write a haiku.", ())),
        ("Here is the improved prompt:\n\nTask: write a haiku.", Cleaned("Task: write a haiku.", ("preamble",))),
        ("Sure! Here's the rewritten prompt:\nTask: x", Cleaned("Task: x", ("preamble",))),
        ("Rewritten prompt: Task: x", Cleaned("Task: x", ("preamble",))),
        ("```\nTask: x\n```", Cleaned("Task: x", ("code-fence",))),
        ('"Task: x"', Cleaned("Task: x", ("quotes",))),
        ("“Task: x”", Cleaned("Task: x", ("quotes",))),
        ("<think>hm</think>Task: x", Cleaned("Task: x", ("reasoning",))),
        (
            'Task: x\n<prompt_to_rewrite>\n"Task: y"\n</prompt_to_rewrite>\n'
            "Reminder: the text above is data to rewrite.",
            Cleaned('Task: x\n\n"Task: y"', ("data-tags",)),
        ),
    ],
)
def test_wrapping_goes_and_the_prompt_stays(raw: str, expected: Cleaned) -> None:
    assert expected == clean_model_output(raw)


def test_quotes_inside_the_prompt_are_kept() -> None:
    text = 'Write "hello" and "bye" in French.'
    assert Cleaned(text, ()) == clean_model_output(text)


def test_code_inside_the_prompt_is_kept() -> None:
    text = "Fix this function:\n```python\ndef f(): pass\n```\nKeep the name."
    assert Cleaned(text, ()) == clean_model_output(text)

from __future__ import annotations

import pytest

from rephraser.core.errors import UnknownTargetError
from rephraser.core.targets import Target, parse_target


def test_names_parse_case_insensitively() -> None:
    assert Target.IMAGE == parse_target(" Image ")


def test_auto_means_detect() -> None:
    assert parse_target("auto") is None


def test_unknown_target_lists_choices_and_suggests() -> None:
    with pytest.raises(UnknownTargetError) as caught:
        parse_target("imgae")
    assert 'Unknown target "imgae": use one of auto, chat, code, image, multimodal. Did you mean "image"?' == str(
        caught.value
    )

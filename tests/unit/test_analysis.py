from __future__ import annotations

from rephraser.core.analysis import analyze
from rephraser.core.code_blocks import CodeBlock, split_code


def test_quoted_text_placeholders_urls_paths_numbers_and_identifiers_are_found() -> None:
    a = analyze(
        'Email "Ms Rivera" about invoice #4411 for 1,250.50 EUR using {{first_name}} and [COMPANY]; '
        "see https://example.com/a?b=1 and ./src/billing.py, call parse_config() by Friday"
    )
    assert ("Ms Rivera",) == a.quoted
    assert ("{{first_name}}", "[COMPANY]") == a.placeholders
    assert ("https://example.com/a?b=1",) == a.urls
    assert ("./src/billing.py",) == a.paths
    assert ("4411", "1,250.50") == a.numbers
    assert ("first_name", "parse_config") == a.identifiers
    assert "Ms Rivera" in a.must_keep
    assert "https://example.com/a?b=1" in a.must_keep


def test_negations_are_kept_as_written_in_several_languages() -> None:
    assert ("no people", "without text") == analyze("a red fox, no people, without text").negations
    assert ("text",) == analyze("no text or logos").exclusions[:1]
    assert ("ohne Fachjargon",) == analyze("Mail an Herrn Müller ohne Fachjargon").negations
    assert ("sin jerga",) == analyze("un correo sin jerga").negations
    assert ("文字なし",) == analyze("猫の写真、文字なし").negations
    assert () == analyze("see ./src/main.py").negations  # "mai" + "n" is not Italian "never"


def test_aspect_ratio_from_numbers_or_words() -> None:
    assert "16:9" == analyze("castle at dusk, 16:9").aspect_ratio
    assert "9:16" == analyze("phone wallpaper of a misty lake").aspect_ratio
    assert "1:1" == analyze("Logo, quadratisch").aspect_ratio
    assert "9:16" == analyze("猫の写真、縦長").aspect_ratio
    assert "" == analyze("a portrait of an old fisherman").aspect_ratio


def test_programming_language_and_version() -> None:
    a = analyze("write in Python 3.12 a func that dedupes")
    assert ("Python", "3.12") == (a.programming_language, a.language_version)
    assert "" == analyze("let's go to the park").programming_language


def test_media_and_unresolved_references() -> None:
    a = analyze("analyze this screenshot and tell me what to do")
    assert "screenshot" == a.media
    assert ("this",) == analyze("fix this").references
    assert () == analyze("fix this: ValueError in parse()").references


def test_fenced_and_unfenced_code_blocks_are_split_out_verbatim() -> None:
    text = (
        "why does this crash?\n\n"
        "Traceback (most recent call last):\n"
        '  File "app.py", line 3, in <module>\n'
        "    main()\n"
        "ValueError: bad\n\n"
        "```python\nprint('hi')\n```\nthanks"
    )
    prose, blocks = split_code(text)
    assert "why does this crash?\n\nthanks" == prose
    assert (
        CodeBlock("print('hi')", "python"),
        CodeBlock(
            'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\nValueError: bad'
        ),
    ) == blocks


def test_a_single_ordinary_line_is_prose() -> None:
    assert ("make it shorter; friendlier too", ()) == split_code("make it shorter; friendlier too")


def test_style_and_lighting_words_are_found_as_written() -> None:
    a = analyze("Samurai cat, Ukiyo-E style, at golden hour with soft light")
    assert ("Ukiyo-E",) == a.styles
    assert ("golden hour", "soft light") == a.lighting
    assert ((), ()) == (analyze("a fox in the snow").styles, analyze("a fox in the snow").lighting)


def test_aspect_words_match_whole_words_not_inside_others() -> None:
    from rephraser.core.analysis import analyze

    assert "" == analyze("a mural about the history of rome").aspect_ratio
    assert "9:16" == analyze("instagram story of a cat").aspect_ratio
    assert "9:16" == analyze("two stories of a tower, vertical").aspect_ratio
    assert "9:16" == analyze("вертикальный постер кота").aspect_ratio
    assert "9:16" == analyze("竖屏壁纸 猫").aspect_ratio

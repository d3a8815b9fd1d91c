"""Image to prompt: a vision model looks at a picture and writes the prompt that would make it, in one
image generator's own style. The reply is cleaned like a rewrite's; one that declines, or that carries
the API key, is refused, never returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rephraser.core.cleanup import clean_model_output
from rephraser.core.errors import MalformedResponseError, ProviderError
from rephraser.core.requests import MetaPrompt, Picture
from rephraser.core.targets import FAMILIES

if TYPE_CHECKING:
    from rephraser.core.model_rewrite import CompletionClient
    from rephraser.core.providers.cancel import CancelToken

__all__ = ["DEFAULT_FAMILY", "describe_picture", "meta_prompt"]

DEFAULT_FAMILY = "sdxl"
_COMMON = (
    "You write prompts for image generators. You are shown one picture: write the prompt that would make "
    "a picture like it. Cover the subject and what it does, the setting, the medium or style, the lighting, "
    "the composition and camera (framing, angle, lens), the palette and the mood. Describe only what you "
    "see; name no real person, and quote written text only when you can read it exactly. Reply with the "
    "prompt alone: no preamble, no explanation, no quotes around it."
)
_SYNTAX = {
    "midjourney": "Write comma-separated phrases, most important first, then the aspect ratio as --ar W:H "
    "(the picture's own), and --no for what must not appear, if anything.",
    "sdxl": 'Write two lines: "Prompt: " with comma-separated descriptive phrases, then "Negative prompt: " '
    "with what to avoid (blur, artefacts, and anything absent from the picture that such prompts tend to add).",
    "dalle": "Write one descriptive paragraph in plain sentences, as you would brief an illustrator.",
    "flux": "Write two to four natural sentences; say what is there, never what is not (FLUX has no negative prompt).",
    "ideogram": "Write one descriptive paragraph; put any text that appears in the picture in double quotes "
    "and say where it stands and in what lettering.",
}


def meta_prompt(picture: Picture, family: str = DEFAULT_FAMILY, hint: str = "") -> MetaPrompt:
    """The request: how to write for `family`, the user's hint ("make it night-time") if any, the picture.

    Raises:
        ValueError: `family` is no image generator profile.
    """
    if family not in FAMILIES["image"]:
        raise ValueError(f"no image profile {family!r}")
    user = f"Write the {family} prompt for this picture."
    if hint.strip():
        user += f" The user adds: {hint.strip()}"
    return MetaPrompt(f"{_COMMON}\n\n{_SYNTAX[family]}", user, picture)


def describe_picture(
    client: CompletionClient,
    picture: Picture,
    family: str = DEFAULT_FAMILY,
    hint: str = "",
    on_delta: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
) -> str:
    """The generator prompt the model wrote for the picture.

    Raises:
        ProviderError: the endpoint failed (a model that cannot see images says so here), the reply was
            empty, declined, or carried the key.
    """
    from rephraser.core.judge.shape import refused

    completion = client.complete(meta_prompt(picture, family, hint), on_delta=on_delta, cancel=cancel)
    cleaned = clean_model_output(completion.text).text
    secrets = [s for s in client.known_secrets() if s]
    if completion.secret_echoed or any(secret in cleaned for secret in secrets):
        raise ProviderError("The model's reply contained your API key; it was not used.")
    if not cleaned:
        raise MalformedResponseError("The model's answer was empty; try again, or use a vision model.")
    if refused(cleaned, "", "en"):
        raise ProviderError(
            "The model declined to describe the picture; try again, or use another vision model "
            "(`rephraser config set model NAME`)."
        )
    return cleaned

"""CLI commands of the model path: rewrite through the endpoint, image to prompt, list models, manage keys.

Imported only when one of them runs, so the offline commands never load httpx or keyring.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from rephraser.composition import Core, build_model_client, build_model_rewriter, build_secret_store
from rephraser.core.errors import ProviderError, RephraserError, SecretStoreError
from rephraser.core.keys import resolve_key
from rephraser.core.providers import PROVIDER_NAMES, get_provider
from rephraser.core.providers.cancel import CancelToken

if TYPE_CHECKING:
    from rephraser.core.rewrite import RewriteRequest, RewriteResult

__all__ = ["describe", "key_delete", "key_set", "key_status", "models", "rewrite_with_model"]


def rewrite_with_model(core: Core, request: RewriteRequest, stream_to_stdout: bool) -> RewriteResult:
    """Rewrite through the endpoint; Ctrl+C cancels the request at once."""
    token = CancelToken()
    streamed: list[str] = []

    def show(text: str) -> None:
        streamed.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        with build_model_rewriter(core) as rewriter:
            result = rewriter.rewrite(request, on_delta=show if stream_to_stdout else None, cancel=token)
    except KeyboardInterrupt:
        token.cancel()
        raise
    except ProviderError as error:
        if streamed:
            raise ProviderError(f"{error} The streamed text above is incomplete.") from error
        raise
    if streamed:
        sys.stdout.write("\n")
        if result.text.strip() == "".join(streamed).strip():
            return result._replace(text="")
        # The judge or the clean-up replaced what streamed: say so, then give the rewrite to use.
        print("rephraser: notice: the streamed text above is not the rewrite; the rewrite follows.", file=sys.stderr)
    return result


def models(core: Core) -> int:
    """Print the endpoint's model ids, one per line."""
    settings = core.config.settings
    client = build_model_client(settings._replace(model=settings.model or "-"), build_secret_store(settings))
    try:
        names = client.list_models()
    finally:
        client.close()
    print("\n".join(names))
    return 0


def describe(args: argparse.Namespace, core: Core) -> int:
    """Image to prompt: the picture in IMAGE (or on stdin, for "-") as a prompt for an image generator."""
    from rephraser.core.describe import DEFAULT_FAMILY, describe_picture
    from rephraser.core.pictures import MAX_PICTURE_INPUT_BYTES, picture_from_bytes

    settings = core.config.settings
    if settings.mode != "model":
        raise RephraserError(
            "Image to prompt needs a model that can see images: `rephraser config set mode model`, then "
            "`rephraser config set model NAME` (a vision model such as gpt-4o-mini, claude-sonnet or llava)."
        )
    name = "stdin" if args.image == "-" else args.image
    picture = picture_from_bytes(_read_image(args.image, MAX_PICTURE_INPUT_BYTES + 1), name)
    family = args.family or settings.family_image or DEFAULT_FAMILY
    client = build_model_client(settings, build_secret_store(settings))
    token = CancelToken()
    try:
        text = describe_picture(client, picture, family, args.hint, cancel=token)
    except KeyboardInterrupt:
        token.cancel()
        raise
    except ProviderError as error:
        if "(HTTP 400)" in str(error) or "(HTTP 422)" in str(error):
            raise ProviderError(f"{error} Can the model {settings.model} see images?") from error
        raise
    finally:
        client.close()
    if args.json:
        print(json.dumps({"text": text, "family": family, "model": settings.model}, ensure_ascii=False))
    else:
        print(text)
    return 0


def _read_image(path: str, limit: int) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(limit)
    try:
        with open(path, "rb") as file:
            return file.read(limit)
    except OSError as error:
        raise RephraserError(f"Cannot read the image {path} ({error.strerror or error}).") from error


def key_set(args: argparse.Namespace, core: Core) -> int:
    """Read a key without echo (or from piped stdin) and store it in the keyring."""
    provider = get_provider(args.provider)
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass(f"API key for {provider.title}: ")
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise RephraserError("No key was given; nothing was stored.")
    store = build_secret_store(core.config.settings)
    store.set(provider.name, key)
    print(f"Stored the API key for {provider.title} in the keyring ({store.describe()}).")
    return 0


def key_delete(args: argparse.Namespace, core: Core) -> int:
    """Remove a provider's key from the keyring."""
    provider = get_provider(args.provider)
    removed = build_secret_store(core.config.settings).delete(provider.name)
    print(f"Deleted the API key for {provider.title}." if removed else f"No API key was stored for {provider.title}.")
    return 0


def key_status(_args: argparse.Namespace, core: Core) -> int:
    """Where each provider's key would come from; never the key itself."""
    store = build_secret_store(core.config.settings)
    try:
        print(f"keyring: {store.describe()}")
    except SecretStoreError as error:
        print(f"keyring: unavailable: {error}")
    for name in PROVIDER_NAMES:
        provider = get_provider(name)
        try:
            source = resolve_key(provider, store).source
        except SecretStoreError:
            source = "unknown (the keyring is unavailable)"
        print(f"{name}: {source}")
    return 0

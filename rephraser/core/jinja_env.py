"""The sandboxed Jinja2 environment templates render in (imported only when a template is rendered)."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["make_environment"]


def as_data(text: str) -> str:
    """The selected text as one JSON string that cannot close the tags around it (spotlighting)."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


class _TolerantBytecodeCache(FileSystemBytecodeCache):
    """Compiled templates cached on disk; a cache that cannot be written only costs speed."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass  # read-only or full disk: the template still renders, only uncached


def without(text: str, phrases: object) -> str:
    """The text with each phrase removed and the separators it leaves tidied ("a, no text, b" -> "a, b")."""
    import re

    for phrase in phrases if isinstance(phrases, list | tuple) else [phrases]:
        if phrase:
            text = text.replace(str(phrase), "")
    text = re.sub(r"\s+([,.;])", r"\1", text)
    text = re.sub(r"([,;])(\s*[,;])+", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip(" ,;")


def _sd_chunks(prompt: str) -> str:
    from rephraser.core.image_syntax import sd_chunks  # only image profiles need it

    return sd_chunks(prompt)


def _split_parameters(text: str) -> tuple[str, str]:
    from rephraser.core.image_syntax import split_parameters

    return split_parameters(text)


def make_environment(user_dir: Path, builtin_dir: Path, cache_dir: Path | None) -> SandboxedEnvironment:
    """User folder first, then built-ins; `builtin/NAME` always reaches the built-in."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(user_dir), str(builtin_dir)]),
            jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin_dir))}),
        ]
    )
    cache = _TolerantBytecodeCache(str(cache_dir)) if cache_dir else None
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=cache,
        auto_reload=True,
    )
    env.filters["as_data"] = as_data
    env.filters["without"] = without
    env.filters["sd_chunks"] = _sd_chunks
    env.filters["split_parameters"] = _split_parameters
    return env

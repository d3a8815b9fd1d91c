"""The sandboxed Jinja2 environment templates render in (imported only when a template is rendered).

`LimitedEnvironment` adds render limits to Jinja2's sandbox (see `render_limits`): its operators, calls,
filters and `{{ }}` output are checkpoints, and so is each step of a `{% for %}` loop and each `~` join,
which the template's syntax tree is rewritten to route through the environment. Templates nested past
what Jinja2's parser or Python's compiler can take are refused with the line, before either fails.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment

from rephraser.core import render_growth as growth
from rephraser.core import render_limits as limits

__all__ = ["LimitedEnvironment", "make_environment"]

# Deeper than any sane template, shallower than Jinja2's parser (~70 brackets) and Python's compiler
# (20 nested loops, 100 indentation levels, 200 nested parentheses) can go.
MAX_BRACKET_DEPTH = 30
MAX_NODE_DEPTH = 60
MAX_LOOP_DEPTH = 12
_BLOCK_OPENERS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape"})
# Compiled templates are cached; code compiled without the checkpoints must never be loaded again.
_CACHE_PATTERN = "__rephraser_limited_1_%s.cache"


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


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja2's sandbox with the render limits of `render_limits` at every checkpoint."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=_finalize, **kwargs)
        self.globals["lipsum"] = _limited_lipsum

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        limits.tick()
        limits.check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        limits.tick()
        for value in (*args, *(v for k, v in kwargs.items() if not k.startswith("_"))):
            limits.check_size(value)
        args = growth.check_method(obj, args)
        return limits.check_size(super().call(context, obj, *args, **kwargs), "a call's result")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        sandboxed = super().wrap_str_format(value)
        if sandboxed is None:
            return None
        fmt, by_name = value.__self__, value.__name__ == "format_map"

        def limited(*args: Any, **kwargs: Any) -> str:
            named = args[0] if by_name and args and isinstance(args[0], dict) else kwargs
            limits.check_format(fmt, () if by_name else args, named)
            return str(limits.check_size(sandboxed(*args, **kwargs), "a formatted text"))

        return limited

    def limited_loop(self, iterable: Any) -> limits.LimitedIterable:
        """A `{% for %}` loop's iterable, each step a checkpoint (the syntax tree routes loops here)."""
        return limits.LimitedIterable(iterable)

    def limited_concat(self, *parts: Any) -> str:
        """`a ~ b`: the joined text, refused when too long (the syntax tree routes `~` here)."""
        texts = [str(part) for part in parts]
        size = sum(len(text) for text in texts)
        if size > limits.MAX_VALUE_SIZE:
            raise limits.RenderLimitError(f"a joined text would be {size:,} characters long")
        return "".join(texts)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        line = _deepest_line(self, source, name, filename)
        try:
            tree = super()._parse(source, name, filename)
        except RecursionError as exc:
            raise jinja2.TemplateSyntaxError(
                "blocks or brackets are nested too deeply to parse", line, name, filename
            ) from exc
        _check_nesting(tree, name, filename)
        _add_checkpoints(tree)
        return tree

    def _compile(self, source: str, filename: str) -> CodeType:
        try:
            return super()._compile(source, filename)
        except (SyntaxError, RecursionError, MemoryError) as exc:
            line = _template_line(source, getattr(exc, "lineno", None) or 0)
            raise jinja2.TemplateSyntaxError(
                "the template is nested too deeply for Python to compile", line, None, filename
            ) from exc


def _finalize(value: Any) -> Any:
    """Every `{{ }}` passes here: refuse huge values, count the text made."""
    limits.check_size(value, "a printed value")
    budget = limits.current()
    if budget is not None:
        budget.produce(len(value) if isinstance(value, str) else limits.size_of(value))
    return value


def _limited_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if n * max > 100_000:
        raise limits.RenderLimitError(f"lipsum({n}, max={max}) would make more than 100,000 words")
    return str(generate_lorem_ipsum(n, html, min, max))


def _limited_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that is a checkpoint and refuses to make a value past the size limit."""
    passes_first = hasattr(func, "jinja_pass_arg")  # context, eval context or environment comes first

    @functools.wraps(func)
    def limited(*args: Any, **kwargs: Any) -> Any:
        limits.tick()
        value_at = 1 if passes_first else 0
        if len(args) > value_at:
            if name == "join" and not hasattr(args[value_at], "__len__"):
                args = (*args[:value_at], list(args[value_at]), *args[value_at + 1 :])  # size it first
            growth.check_filter(name, args[value_at], args[value_at + 1 :], kwargs)
        return limits.check_size(func(*args, **kwargs), f"the result of the {name} filter")

    return limited


def _deepest_line(env: jinja2.Environment, source: str, name: str | None, filename: str | None) -> int:
    """The line where brackets and blocks are nested deepest (Jinja2's parser recurses on each); raise
    when brackets are nested past MAX_BRACKET_DEPTH."""
    brackets, blocks, deepest, line = 0, 0, 0, 1
    try:
        tokens = [token for token in env.lexer.tokeniter(source, name, filename) if token[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return 1  # the parser reports it with its line
    for (lineno, token, value), (_, _, following) in zip(tokens, [*tokens[1:], (0, "", "")], strict=True):
        if token == "operator" and value in "([{":
            brackets += 1
            if brackets > MAX_BRACKET_DEPTH:
                raise jinja2.TemplateSyntaxError(
                    f"brackets are nested more than {MAX_BRACKET_DEPTH} deep", lineno, name, filename
                )
        elif token == "operator" and value in ")]}":
            brackets = max(0, brackets - 1)
        elif token == "block_begin" and following in _BLOCK_OPENERS:
            blocks += 1
        elif token == "block_begin" and following.startswith("end"):
            blocks = max(0, blocks - 1)
        if brackets + blocks > deepest:
            deepest, line = brackets + blocks, lineno
    return line


def _check_nesting(tree: nodes.Template, name: str | None, filename: str | None) -> None:
    """Refuse expressions and blocks nested deeper than Python's compiler can take."""
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while stack:
        node, depth, loops = stack.pop()
        loops += isinstance(node, nodes.For)
        if depth > MAX_NODE_DEPTH or loops > MAX_LOOP_DEPTH:
            what = (
                f"loops are nested more than {MAX_LOOP_DEPTH} deep"
                if loops > MAX_LOOP_DEPTH
                else (f"expressions or blocks are nested more than {MAX_NODE_DEPTH} deep")
            )
            raise jinja2.TemplateSyntaxError(what, node.lineno, name, filename)
        stack.extend((child, depth + 1, loops) for child in node.iter_child_nodes())


def _add_checkpoints(tree: nodes.Template) -> None:
    """Route each `{% for %}` iterable through `limited_loop` and each `~` through `limited_concat`."""
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.For):
            node.iter = _environment_call("limited_loop", [cast(nodes.Expr, node.iter)], node.iter.lineno)
        for field in node.fields:
            value = getattr(node, field, None)
            if isinstance(value, nodes.Concat):
                setattr(node, field, value := _environment_call("limited_concat", value.nodes, value.lineno))
            elif isinstance(value, list):
                value[:] = [
                    _environment_call("limited_concat", item.nodes, item.lineno)
                    if isinstance(item, nodes.Concat)
                    else item
                    for item in value
                ]
                stack.extend(item for item in value if isinstance(item, nodes.Node))
                continue
            if isinstance(value, nodes.Node):
                stack.append(value)


def _environment_call(method: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(method, lineno=lineno), args, [], None, None, lineno=lineno)


def _template_line(code: str, code_line: int) -> int:
    """The template line of a line of the Python code Jinja2 generated (from its `debug_info`)."""
    match = re.search(r"^debug_info = '([^']*)'", code, re.M)
    pairs = [tuple(map(int, pair.split("="))) for pair in match[1].split("&") if pair] if match else []
    lines = [template for template, generated in pairs if generated <= code_line]
    return lines[-1] if lines else 1


def make_environment(user_dir: Path, builtin_dir: Path, cache_dir: Path | None) -> LimitedEnvironment:
    """User folder first, then built-ins; `builtin/NAME` always reaches the built-in."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(user_dir), str(builtin_dir)]),
            jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin_dir))}),
        ]
    )
    cache = _TolerantBytecodeCache(str(cache_dir), _CACHE_PATTERN) if cache_dir else None
    env = LimitedEnvironment(
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
    env.filters.update({name: _limited_filter(name, func) for name, func in env.filters.items()})
    return env

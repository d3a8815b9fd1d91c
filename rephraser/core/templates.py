"""The template store: built-in and user Jinja2 templates, rendered in the sandbox.

A template is a `.j2` file whose first comment holds its metadata as TOML under `[template]`
(target, description, optional family); its name is the file name without `.j2`. Files starting with
`_` are partials (layouts, macros) and are not listed. User templates (in the config folder) override
built-ins of the same name; `builtin/NAME.j2` always reaches the built-in, so an override can extend
the original.

Each template is rendered once per part (`part` = "offline", "system" or "user"); see `_base.j2`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from rephraser.core.errors import TemplateNotFoundError, TemplateProblemError
from rephraser.core.suggest import did_you_mean

if TYPE_CHECKING:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["PARTS", "TemplateInfo", "TemplateStore"]

PARTS = ("offline", "system", "user")
SUFFIX = ".j2"
_HEADER = re.compile(r"\A\s*\{#-?(?P<body>.*?)-?#\}", re.S)


class TemplateInfo(NamedTuple):
    """What a template's header and location say about it."""

    name: str
    target: str
    description: str
    family: str
    path: Path
    builtin: bool
    overrides_builtin: bool = False


class TemplateStore:
    """Finds, describes and renders templates from the user folder, then the built-in folder."""

    def __init__(self, builtin_dir: Path, user_dir: Path, cache_dir: Path | None = None) -> None:
        self.builtin_dir = builtin_dir
        self.user_dir = user_dir
        self._cache_dir = cache_dir
        self._env: SandboxedEnvironment | None = None
        self._env_lock = threading.Lock()  # the desktop app's warm-up thread and the GUI may both render first

    @property
    def env(self) -> SandboxedEnvironment:
        """The sandboxed Jinja2 environment, made on first use (importing Jinja2 is the costly part)."""
        with self._env_lock:
            if self._env is None:
                from rephraser.core.jinja_env import make_environment

                self._env = make_environment(self.user_dir, self.builtin_dir, self._cache_dir)
            return self._env

    def list(self) -> list[TemplateInfo]:
        """Every template, user ones first where they override a built-in; sorted by target, name."""
        found: dict[str, TemplateInfo] = {}
        for path in sorted(self.builtin_dir.glob(f"*{SUFFIX}")):
            if not path.name.startswith("_"):
                found[path.stem] = read_info(path, builtin=True)
        for path in sorted(self.user_dir.glob(f"*{SUFFIX}")) if self.user_dir.is_dir() else ():
            if not path.name.startswith("_"):
                found[path.stem] = read_info(path, builtin=False, overrides=path.stem in found)
        return sorted(found.values(), key=lambda info: (info.target, info.name))

    def path_of(self, name: str) -> Path:
        """The file that `name` resolves to (user folder first).

        Raises:
            TemplateNotFoundError
        """
        for folder in (self.user_dir, self.builtin_dir):
            path = folder / f"{name}{SUFFIX}"
            if path.is_file():
                return path
        known = [info.name for info in self.list()]
        raise TemplateNotFoundError(
            f'No template named "{name}".{did_you_mean(name, known)} '
            "See `rephraser templates list` for the available ones."
        )

    def info(self, name: str) -> TemplateInfo:
        """Metadata of the template `name` resolves to."""
        path = self.path_of(name)
        builtin = path.parent == self.builtin_dir
        return read_info(path, builtin, overrides=not builtin and (self.builtin_dir / path.name).is_file())

    def render(self, name: str, part: str, variables: Mapping[str, Any]) -> str:
        """Render one part of a template.

        Raises:
            TemplateNotFoundError, TemplateProblemError
        """
        path = self.path_of(name)
        template = self._load(path.name, path)
        return self._render(template, part, variables, path)

    def render_file(self, path: Path, part: str, variables: Mapping[str, Any]) -> str:
        """Render one part of a template file that may lie outside the template folders (for `check`)."""
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateProblemError(f"cannot be read ({exc})", str(path), None) from exc
        return self.render_source(source, str(path), part, variables)

    def render_source(self, source: str, label: str, part: str, variables: Mapping[str, Any]) -> str:
        """Render one part of template text being edited (the settings window's live preview)."""
        import jinja2

        path = Path(label)
        try:
            code = self.env.compile(source, name=path.name, filename=label)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblemError(exc.message or "syntax error", str(path), exc.lineno) from exc
        template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        return self._render(template, part, variables, path)

    def _load(self, name: str, path: Path) -> jinja2.Template:
        import jinja2

        try:
            return self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblemError(exc.message or "syntax error", exc.filename or str(path), exc.lineno) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblemError(f'includes "{exc.name}", which does not exist', str(path), None) from exc

    def _render(self, template: jinja2.Template, part: str, variables: Mapping[str, Any], path: Path) -> str:
        import jinja2

        try:
            return tidy(render_limited(template, {**variables, "part": part}))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblemError(exc.message or "syntax error", exc.filename or str(path), exc.lineno) from exc
        except jinja2.TemplateError as exc:
            raise _render_problem(exc, path) from exc
        except _RENDER_FAILURES as exc:
            raise _render_problem(exc, path) from exc


# What a template can make Python raise while rendering; each becomes a TemplateProblemError with the line.
_RENDER_FAILURES = (
    TypeError,
    ValueError,
    AttributeError,
    LookupError,
    ArithmeticError,
    RuntimeError,  # RecursionError among them
    MemoryError,
)


def render_limited(template: jinja2.Template, variables: Mapping[str, Any]) -> str:
    """Render within a RenderBudget: the deadline and memory at every checkpoint, the output's length
    at every piece (thrown into the template, so the error names its line)."""
    from rephraser.core import render_limits

    budget = render_limits.RenderBudget()
    token = render_limits.activate(budget)
    try:
        pieces: list[str] = []
        stream = cast("Generator[str, None, None]", template.generate(variables))
        for piece in stream:
            pieces.append(piece)  # (empty pieces too: their flood is stopped by the memory check)
            try:
                budget.emit(len(piece))
            except render_limits.RenderLimitError as exc:
                stream.throw(exc)
        return "".join(pieces)
    finally:
        render_limits.deactivate(token)


def tidy(text: str) -> str:
    """Collapse runs of blank lines and trailing spaces that template logic leaves behind, outside code
    fences only (code inside a fence stays byte for byte), so template authors need not fight Jinja's
    whitespace rules."""
    lines: list[str] = []
    fence = ""
    for line in text.split("\n"):
        marker = line.lstrip()[:3]
        if not fence and marker in ("```", "~~~"):
            fence = line.lstrip()[: len(line.lstrip()) - len(line.lstrip().lstrip(marker[0]))]
        elif fence and line.strip() == fence:
            fence = ""
        elif not fence:
            line = line.rstrip()
            if not line and lines and not lines[-1]:
                continue
        if not fence and line.startswith("</") and lines and not lines[-1]:
            lines.pop()  # no blank line inside the end of an XML-tagged section
        lines.append(line)
    return "\n".join(lines).strip()


def read_info(path: Path, builtin: bool, overrides: bool = False) -> TemplateInfo:
    """Read a template's header; a missing or broken header gives empty metadata, never an error."""
    import tomllib

    meta: dict[str, Any] = {}
    try:
        match = _HEADER.match(path.read_text(encoding="utf-8"))
        if match:
            meta = tomllib.loads(match["body"]).get("template", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        meta = {}
    return TemplateInfo(
        name=path.stem,
        target=str(meta.get("target", "")),
        description=str(meta.get("description", "")),
        family=str(meta.get("family", "")),
        path=path,
        builtin=builtin,
        overrides_builtin=overrides,
    )


def _render_problem(exc: BaseException, path: Path) -> TemplateProblemError:
    """Name the template line where rendering failed (Jinja2 rewrites tracebacks to template lines)."""
    import traceback

    where, line = str(path), None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(SUFFIX):
            where, line = frame.filename, frame.lineno
            break
    return TemplateProblemError(_problem_message(exc), where, line)


def _problem_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "calls itself too deeply (a macro, include or recursive loop with no end?)"
    if isinstance(exc, MemoryError):
        return "ran out of memory while rendering"
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__

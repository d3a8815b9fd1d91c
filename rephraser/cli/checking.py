"""`rephraser templates check`: render each part of a template against sample input."""

from __future__ import annotations

from pathlib import Path

from rephraser.composition import Core
from rephraser.core.errors import RephraserError, TemplateProblemError
from rephraser.core.rewrite import RewriteRequest
from rephraser.core.samples import SAMPLES
from rephraser.core.targets import Target
from rephraser.core.templates import PARTS, read_info

__all__ = ["check_paths"]


def check_paths(core: Core, paths: list[Path]) -> list[TemplateProblemError]:
    """Every problem found, each naming its file and line."""
    problems: list[TemplateProblemError] = []
    for path in paths:
        problem = _check_one(core, path)
        if problem is not None:
            problems.append(problem)
    return problems


def _check_one(core: Core, path: Path) -> TemplateProblemError | None:
    if not path.is_file():
        return TemplateProblemError("no such file", str(path), None)
    info = read_info(path, builtin=False)
    target = Target(info.target) if info.target in {t.value for t in Target} else Target.CHAT
    try:
        prepared = core.rewriter.prepare(RewriteRequest(SAMPLES[target.value][0], target=target.value))
        for part in PARTS:
            core.templates.render_file(path, part, prepared.variables)
    except TemplateProblemError as exc:
        return exc
    except RephraserError as exc:
        return TemplateProblemError(str(exc), str(path), None)
    return None

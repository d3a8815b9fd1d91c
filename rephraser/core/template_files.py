"""Managing the user's template files: create, duplicate, rename, delete, reset, import, export, drafts.

Built-in templates are read-only: editing one saves a user copy of the same name, which overrides it;
"reset to built-in" deletes that copy. A template with an error can only be saved as a draft
(`NAME.j2.draft`), which the store never lists or uses.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rephraser.core.errors import TemplateError, TemplateProblemError
from rephraser.core.files import write_atomically
from rephraser.core.templates import SUFFIX, TemplateStore

__all__ = ["DRAFT_SUFFIX", "TemplateLibrary", "new_template_source"]

DRAFT_SUFFIX = ".j2.draft"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def new_template_source(target: str, description: str = "My template.") -> str:
    """A starting point for a new template of `target` that extends the built-in one."""
    return (
        f'{{#\n[template]\ntarget = "{target}"\ndescription = "{description}"\n#}}\n'
        f'{{% extends "builtin/{target}.j2" %}}\n'
        "{% block offline %}{{ super() }}{% endblock %}\n"
    )


class TemplateLibrary:
    """File operations on the user folder of a TemplateStore."""

    def __init__(self, store: TemplateStore) -> None:
        self.store = store

    @property
    def folder(self) -> Path:
        return self.store.user_dir

    def validate_name(self, name: str) -> str | None:
        """What is wrong with a new template name, or None."""
        if not _NAME.match(name):
            return "use 1-64 lowercase letters, digits, - or _, starting with a letter or digit"
        return None

    def source(self, name: str) -> str:
        return self.store.path_of(name).read_text(encoding="utf-8")

    def is_builtin(self, name: str) -> bool:
        return self.store.path_of(name).parent == self.store.builtin_dir

    def has_builtin(self, name: str) -> bool:
        return (self.store.builtin_dir / f"{name}{SUFFIX}").is_file()

    def save(self, name: str, source: str, problem: TemplateProblemError | None) -> Path:
        """Save to the user folder; a template with a problem goes to a draft instead (never used)."""
        self._check_name(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        if problem is not None:
            path = self.folder / f"{name}{DRAFT_SUFFIX}"
        else:
            path = self.folder / f"{name}{SUFFIX}"
            (self.folder / f"{name}{DRAFT_SUFFIX}").unlink(missing_ok=True)
        write_atomically(path, source)
        return path

    def create(self, name: str, target: str) -> Path:
        self._check_free(name)
        return self.save(name, new_template_source(target), None)

    def duplicate(self, name: str, new_name: str) -> Path:
        self._check_free(new_name)
        return self.save(new_name, self.source(name), None)

    def rename(self, name: str, new_name: str) -> Path:
        if self.is_builtin(name):
            raise TemplateError(f'"{name}" is built in; duplicate it instead.')
        self._check_free(new_name)
        path = self.folder / f"{new_name}{SUFFIX}"
        (self.folder / f"{name}{SUFFIX}").rename(path)
        return path

    def delete(self, name: str) -> None:
        """Delete a user template (for a built-in's copy, the same as reset)."""
        path = self.folder / f"{name}{SUFFIX}"
        if not path.is_file():
            raise TemplateError(f'"{name}" is built in and cannot be deleted.')
        path.unlink()
        (self.folder / f"{name}{DRAFT_SUFFIX}").unlink(missing_ok=True)

    def reset(self, name: str) -> None:
        """Drop the user's copy of a built-in template."""
        if not self.has_builtin(name):
            raise TemplateError(f'"{name}" has no built-in version to reset to.')
        (self.folder / f"{name}{SUFFIX}").unlink(missing_ok=True)
        (self.folder / f"{name}{DRAFT_SUFFIX}").unlink(missing_ok=True)

    def draft(self, name: str) -> str | None:
        path = self.folder / f"{name}{DRAFT_SUFFIX}"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def import_paths(self, paths: list[Path]) -> list[str]:
        """Copy template files (or every .j2 in given folders) into the user folder; return their names."""
        files = [p for path in paths for p in (sorted(path.glob(f"*{SUFFIX}")) if path.is_dir() else [path])]
        names = []
        for file in files:
            name = file.name.removesuffix(SUFFIX)
            self._check_name(name)
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, self.folder / f"{name}{SUFFIX}")
            names.append(name)
        return names

    def export(self, names: list[str], destination: Path) -> list[Path]:
        """Copy templates to a file (one name) or into a folder."""
        if len(names) == 1 and destination.suffix:
            shutil.copyfile(self.store.path_of(names[0]), destination)
            return [destination]
        destination.mkdir(parents=True, exist_ok=True)
        written = []
        for name in names:
            target = destination / f"{name}{SUFFIX}"
            shutil.copyfile(self.store.path_of(name), target)
            written.append(target)
        return written

    def _check_name(self, name: str) -> None:
        problem = self.validate_name(name)
        if problem:
            raise TemplateError(f'Template name "{name}": {problem}.')

    def _check_free(self, name: str) -> None:
        self._check_name(name)
        if (self.folder / f"{name}{SUFFIX}").exists() or self.has_builtin(name):
            raise TemplateError(f'A template named "{name}" exists already.')

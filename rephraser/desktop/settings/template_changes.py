"""Template files created or deleted in the settings window, held until Save (Cancel drops them), the
same way as the window's other settings."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from rephraser.core.template_files import TemplateLibrary, new_template_source
from rephraser.core.templates import TemplateInfo

__all__ = ["NEW_ORIGIN", "PendingTemplates"]

NEW_ORIGIN = "new, on Save"


class _New(NamedTuple):
    target: str
    source: str


class PendingTemplates:
    """New templates (name -> target and source, as edited) and deletions, not yet on disk."""

    def __init__(self, library: TemplateLibrary) -> None:
        self._library = library
        self._new: dict[str, _New] = {}
        self._deleted: set[str] = set()

    @property
    def empty(self) -> bool:
        return not self._new and not self._deleted

    def is_new(self, name: str) -> bool:
        return name in self._new

    def listing(self) -> list[TemplateInfo]:
        """The store's templates as they will be after Save: deletions gone, new ones in."""
        kept = [info for info in self._library.store.list() if info.name not in self._deleted]
        folder = self._library.folder
        added = [TemplateInfo(n, new.target, "", "", folder / f"{n}.j2", False) for n, new in self._new.items()]
        return sorted([*kept, *added], key=lambda info: (info.target, info.name))

    def name_problem(self, name: str) -> str | None:
        """Why `name` cannot be a new template (the same rules and words as TemplateLibrary.create)."""
        problem = self._library.validate_name(name)
        if problem:
            return f'Template name "{name}": {problem}.'
        if name in {info.name for info in self.listing()} or self._library.has_builtin(name):
            return f'A template named "{name}" exists already.'
        return None

    def create(self, name: str, target: str) -> None:
        """A new template of `target`, started from the built-in one (check `name_problem` first)."""
        self._new[name] = _New(target, new_template_source(target))

    def delete(self, name: str) -> None:
        if self._new.pop(name, None) is None:
            self._deleted.add(name)

    def edited(self, name: str, source: str) -> None:
        if name in self._new:
            self._new[name] = self._new[name]._replace(source=source)

    def written(self, name: str) -> None:
        """`name` was saved on its own ("Save template"): no longer pending."""
        self._new.pop(name, None)

    def source(self, name: str) -> str:
        return self._new[name].source

    def target(self, name: str) -> str:
        return self._new[name].target

    def new_sources(self) -> dict[str, str]:
        return {name: new.source for name, new in self._new.items()}

    def apply(self) -> list[Path]:
        """Write it all (deletions first, so a name deleted and made anew ends up new).

        Raises:
            RephraserError, OSError
        """
        for name in sorted(self._deleted):
            self._library.delete(name)
        written = [self._library.save(name, new.source, None) for name, new in self._new.items()]
        self._new.clear()
        self._deleted.clear()
        return written

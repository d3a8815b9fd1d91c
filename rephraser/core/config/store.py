"""The config file: load with warnings instead of crashes, migrate, back up, edit in place under a lock."""

from __future__ import annotations

import os
import reprlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from rephraser.core.config.file_access import FileProblem, parse_toml, read_limited, write_problem
from rephraser.core.config.schema import (
    CURRENT_SCHEMA_VERSION,
    AppRule,
    Settings,
    describe,
    parse_text,
    setting_names,
    validate_app_rule,
    validate_value,
)
from rephraser.core.config.toml_text import settings_to_toml, toml_value
from rephraser.core.errors import ConfigError
from rephraser.core.suggest import did_you_mean

__all__ = ["MAX_WARNINGS", "MIGRATIONS", "ConfigStore", "LoadedConfig", "Migration", "SetResult"]

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a version-n document into a version-(n+1) one, editing it in place where it can
# (the document may be the user's formatted file). Add a step (and a before/after test) whenever a key is
# renamed or changes meaning; bump CURRENT_SCHEMA_VERSION with it.
MIGRATIONS: Mapping[int, Migration] = {}

FILE_NAME = "config.toml"
LOCK_NAME = f"{FILE_NAME}.lock"
MAX_WARNINGS = 20  # a runaway file must not print a million lines


class LoadedConfig(NamedTuple):
    """Settings plus what was wrong with the file.

    Attributes:
        settings: usable settings; bad or missing keys hold their defaults.
        warnings: one user-facing line per problem (at most MAX_WARNINGS, then how many more).
        needs_backup: the file has an older layout: a save migrates it and keeps a copy first.
        read_only: the file is from a newer Rephraser or cannot be used; it must not be overwritten.
    """

    settings: Settings
    warnings: tuple[str, ...] = ()
    needs_backup: bool = False
    read_only: bool = False


class SetResult(NamedTuple):
    """What `ConfigStore.set` did.

    Attributes:
        settings: the settings now in the file.
        warnings: problems of the file as it was found (unknown keys, bad values), which stay in it.
        backup: the copy made before migrating an older file, if one was made.
    """

    settings: Settings
    warnings: tuple[str, ...] = ()
    backup: Path | None = None


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.hidden = 0
        self.needs_backup = False

    def add(self, line: Callable[..., str], *args: Any) -> None:
        """Record a problem; `line(*args)` (and its hint, the costly part) runs only for the first few."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(line(*args))
        else:
            self.hidden += 1

    def lines(self) -> tuple[str, ...]:
        more = [f"{self.path}: and {self.hidden} more problem(s) not shown."] if self.hidden else []
        return (*self.warnings, *more)


class _Found(NamedTuple):
    """The file as read under the lock: its text (None when there is none) and its settings."""

    raw: bytes | None
    text: str | None
    version: int
    loaded: LoadedConfig


class ConfigStore:
    """Reads and writes `config.toml` in one folder."""

    def __init__(
        self,
        folder: Path,
        migrations: Mapping[int, Migration] = MIGRATIONS,
        current_version: int = CURRENT_SCHEMA_VERSION,
    ) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self._migrations = migrations
        self._current_version = current_version

    def load(self) -> LoadedConfig:
        """Read the file; never raises for its content, only collects warnings."""
        try:
            return self._read().loaded
        except FileProblem as problem:
            return LoadedConfig(Settings(), (problem.as_warning(),), read_only=True)

    def set(self, name: str, text_value: str) -> SetResult:
        """Change one setting from its text form (as typed on the command line) and save.

        Raises:
            ConfigError: unknown name, bad value, a file that cannot be used or saved, or one from a newer version.
        """
        value = self._checked_value(name, text_value)
        with self._editing() as found:
            settings = found.loaded.settings._replace(**{name: value})
            backup = self._write(found, {name: value}, settings)
        return SetResult(settings, found.loaded.warnings, backup)

    def save(self, settings: Settings) -> Path | None:
        """Write the settings that differ from the file's, in place. Returns the backup's path, if any.

        Raises:
            ConfigError: the file cannot be used or saved, or is from a newer version.
        """
        with self._editing() as found:
            before = found.loaded.settings
            changes = {
                name: getattr(settings, name)
                for name in setting_names()
                if name != "schema_version" and getattr(settings, name) != getattr(before, name)
            }
            return self._write(found, changes, settings)

    def _checked_value(self, name: str, text_value: str) -> Any:
        info = describe(name)
        if info is None or name == "schema_version":
            names = [n for n in setting_names() if n != "schema_version"]
            raise ConfigError(f'Unknown setting "{name}".{did_you_mean(name, names)}')
        if info.kind is tuple:
            raise ConfigError(f'"{name}" is a list of tables: edit it in {self.path} or in the settings window.')
        value, problem = validate_value(info, parse_text(info.kind, text_value))
        if problem:
            raise ConfigError(f'{name} = "{text_value}" is not allowed: {problem}.')
        return value

    @contextmanager
    def _editing(self) -> Iterator[_Found]:
        """Hold the lock, and read the file afresh under it (another process may have just changed it)."""
        from rephraser.core.config.lock import exclusive_lock

        with ExitStack() as stack:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                stack.enter_context(exclusive_lock(self.folder / LOCK_NAME))
            except OSError as exc:
                raise ConfigError(write_problem(self.path, exc)) from exc
            try:
                found = self._read()
            except FileProblem as problem:
                raise ConfigError(problem.as_error()) from problem
            if found.loaded.read_only:
                raise ConfigError(
                    f"{self.path} was written by a newer Rephraser; it is left untouched. "
                    "Upgrade Rephraser, or move the file away to start afresh."
                )
            yield found

    def _read(self) -> _Found:
        raw = read_limited(self.path)
        if raw is None:
            return _Found(None, None, self._current_version, LoadedConfig(Settings()))
        text, document = parse_toml(self.path, raw)
        problems = _Problems(self.path)
        version = self._version(document, problems)
        return _Found(raw, text, version, self._from_document(document, version, problems))

    def _write(self, found: _Found, changes: dict[str, Any], settings: Settings) -> Path | None:
        settings = settings._replace(schema_version=self._current_version)
        if found.text is None:
            self._replace_file(settings_to_toml(settings))
            return None
        from rephraser.core.config import toml_edit  # tomlkit: the write path only

        try:
            document = toml_edit.parse_document(found.text)
        except (toml_edit.TOMLKitError, RecursionError) as exc:
            problem = FileProblem(f"{self.path}: not valid TOML ({exc})", "Fix it or move it away")
            raise ConfigError(problem.as_error()) from exc
        backup = None
        if found.version < self._current_version:
            backup = self._backup(found.raw or b"")
            document = toml_edit.as_document(self._migrate(document, found.version))
        if document.get("schema_version") != self._current_version:
            changes = {"schema_version": self._current_version, **changes}
        text = toml_edit.apply_changes(document, changes)
        self._check_edit(text, settings)
        self._replace_file(text)
        return backup

    def _check_edit(self, text: str, settings: Settings) -> None:
        """The edited text must read back as exactly the settings meant (tomlkit must not have moved a key)."""
        import tomllib

        refusal = (
            f"{self.path}: cannot be changed in place without changing other settings; it was left unchanged. "
            "Change it in an editor, or move it away and try again."
        )
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(refusal) from exc
        loaded = self._from_document(document, self._current_version, _Problems(self.path))
        if loaded.settings._replace(schema_version=0) != settings._replace(schema_version=0):
            raise ConfigError(refusal)

    def _replace_file(self, text: str) -> None:
        from rephraser.core.files import write_atomically

        # A symlinked config (dotfiles) stays a symlink: its target is replaced, atomically.
        target = Path(os.path.realpath(self.path))
        try:
            write_atomically(target, text)
        except OSError as exc:
            raise ConfigError(write_problem(target, exc)) from exc

    def _version(self, document: Mapping[str, Any], problems: _Problems) -> int:
        version = document.get("schema_version", self._current_version)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problems.add(str, f"{self.path}: schema_version must be a whole number; assuming current.")
            return self._current_version
        return version

    def _from_document(self, document: dict[str, Any], version: int, problems: _Problems) -> LoadedConfig:
        if version > self._current_version:
            note = (
                f"{self.path} is from a newer Rephraser (schema_version {version}); "
                "using defaults and leaving the file untouched."
            )
            return LoadedConfig(Settings(), (note,), read_only=True)
        if version < self._current_version:
            document = self._migrate(document, version)
            problems.needs_backup = True
        values = self._valid_values(document, problems)
        return LoadedConfig(Settings(**values), problems.lines(), problems.needs_backup)

    def _migrate(self, document: dict[str, Any], version: int) -> dict[str, Any]:
        for step in range(version, self._current_version):
            document = self._migrations[step](document)
        return document

    def _valid_values(self, document: dict[str, Any], problems: _Problems) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, raw in document.items():
            if name == "schema_version":
                continue
            info = describe(name)
            if info is None:
                problems.add(self._unknown, name)
            elif name == "app_rules":
                values[name] = self._valid_rules(raw, problems)
            else:
                value, problem = validate_value(info, raw)
                if problem:
                    problems.add(self._not_allowed, name, raw, problem, info.default)
                values[name] = value
        return values

    def _unknown(self, name: str) -> str:
        return f'{self.path}: unknown setting "{name}" ignored.{did_you_mean(name, setting_names())}'

    def _not_allowed(self, name: str, raw: Any, problem: str, default: Any) -> str:
        return f"{self.path}: {name} = {_show(raw)} is not allowed: {problem}. Using {_show(default)}."

    def _valid_rules(self, raw: Any, problems: _Problems) -> tuple[AppRule, ...]:
        if not isinstance(raw, list):
            problems.add(str, f"{self.path}: app_rules must be [[app_rules]] tables; ignored.")
            return ()
        rules = []
        for number, table in enumerate(raw, start=1):
            rule, problem = validate_app_rule(table)
            if rule is None:
                problems.add(str, f"{self.path}: app rule {number} ignored: {problem}.")
            else:
                rules.append(rule)
        return tuple(rules)

    def _backup(self, raw: bytes) -> Path:
        """Keep the file as it was before a migration rewrites it."""
        from datetime import datetime

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{FILE_NAME}.{stamp}.bak")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{FILE_NAME}.{stamp}-{counter}.bak")
            counter += 1
        try:
            backup.write_bytes(raw)
        except OSError as exc:
            raise ConfigError(write_problem(backup, exc)) from exc
        return backup


_SHOWN_CHARS = 60


def _show(value: Any) -> str:
    """A value as the user wrote it, cut short: a warning is one readable line whatever the file holds."""
    try:
        shown = toml_value(value)
    except TypeError:
        shown = reprlib.repr(value)  # lists and tables: reprlib bounds depth and length
    return shown if len(shown) <= _SHOWN_CHARS else shown[: _SHOWN_CHARS - 3] + "..."

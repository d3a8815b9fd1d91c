"""The config file: load with warnings instead of crashes, migrate, back up, write atomically under a lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from rephraser.core.config.file_access import FileProblem, parse_toml, read_file, write_problem
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

__all__ = ["MIGRATIONS", "ConfigStore", "LoadedConfig", "Migration"]

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a version-n document into a version-(n+1) one. Add a step (and a before/after
# test) whenever a key is renamed or changes meaning; bump CURRENT_SCHEMA_VERSION with it.
MIGRATIONS: Mapping[int, Migration] = {}

FILE_NAME = "config.toml"
LOCK_NAME = f"{FILE_NAME}.lock"


class LoadedConfig(NamedTuple):
    """Settings plus what was wrong with the file.

    Attributes:
        settings: usable settings; bad or missing keys hold their defaults.
        warnings: one user-facing line per problem.
        needs_backup: the file differs from what a save would write (bad keys, old version): keep a copy.
        read_only: the file is from a newer Rephraser or cannot be used; it must not be overwritten.
    """

    settings: Settings
    warnings: tuple[str, ...] = ()
    needs_backup: bool = False
    read_only: bool = False


class _Problems:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.needs_backup = False


class _Found(NamedTuple):
    """The file as read under the lock: its bytes (None when there is none) and its settings."""

    raw: bytes | None
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

    def set(self, name: str, text_value: str) -> Settings:
        """Change one setting from its text form (as typed on the command line) and save.

        Raises:
            ConfigError: unknown name, bad value, a file that cannot be used or saved, or one from a newer version.
        """
        value = self._checked_value(name, text_value)
        with self._editing() as found:
            settings = found.loaded.settings._replace(**{name: value})
            self._write(found, settings)
        return settings

    def save(self, settings: Settings) -> Path | None:
        """Write atomically; back up first if the old file had problems. Returns the backup's path.

        Raises:
            ConfigError: the file cannot be used or saved, or is from a newer version.
        """
        with self._editing() as found:
            return self._write(found, settings)

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
        raw = read_file(self.path)
        if raw is None:
            return _Found(None, LoadedConfig(Settings()))
        return _Found(raw, self._from_document(parse_toml(self.path, raw)))

    def _write(self, found: _Found, settings: Settings) -> Path | None:
        from rephraser.core.files import write_atomically

        backup = self._backup(found.raw) if found.raw is not None and found.loaded.needs_backup else None
        settings = settings._replace(schema_version=self._current_version)
        try:
            write_atomically(self.path, settings_to_toml(settings))
        except OSError as exc:
            raise ConfigError(write_problem(self.path, exc)) from exc
        return backup

    def _from_document(self, document: dict[str, Any]) -> LoadedConfig:
        problems = _Problems()
        version = document.get("schema_version", self._current_version)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problems.warnings.append(f"{self.path}: schema_version must be a whole number; assuming current.")
            version = self._current_version
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
        return LoadedConfig(Settings(**values), tuple(problems.warnings), problems.needs_backup)

    def _migrate(self, document: dict[str, Any], version: int) -> dict[str, Any]:
        for step in range(version, self._current_version):
            document = self._migrations[step](dict(document))
        return document

    def _valid_values(self, document: dict[str, Any], problems: _Problems) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, raw in document.items():
            if name == "schema_version":
                continue
            info = describe(name)
            if info is None:
                hint = did_you_mean(name, setting_names())
                problems.warnings.append(f'{self.path}: unknown setting "{name}" ignored.{hint}')
                problems.needs_backup = True
            elif name == "app_rules":
                values[name] = self._valid_rules(raw, problems)
            else:
                value, problem = validate_value(info, raw)
                if problem:
                    problems.warnings.append(
                        f"{self.path}: {name} = {_show(raw)} is not allowed: {problem}. Using {_show(info.default)}."
                    )
                    problems.needs_backup = True
                values[name] = value
        return values

    def _valid_rules(self, raw: Any, problems: _Problems) -> tuple[AppRule, ...]:
        if not isinstance(raw, list):
            problems.warnings.append(f"{self.path}: app_rules must be [[app_rules]] tables; ignored.")
            problems.needs_backup = True
            return ()
        rules = []
        for number, table in enumerate(raw, start=1):
            rule, problem = validate_app_rule(table)
            if rule is None:
                problems.warnings.append(f"{self.path}: app rule {number} ignored: {problem}.")
                problems.needs_backup = True
            else:
                rules.append(rule)
        return tuple(rules)

    def _backup(self, raw: bytes) -> Path:
        """Keep the file as it was before a save drops what could not be used from it."""
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


def _show(value: Any) -> str:
    try:
        return toml_value(value)
    except TypeError:
        return repr(value)

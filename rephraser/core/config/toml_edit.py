"""Changing settings inside an existing config.toml (tomlkit), so the user's comments, order, formatting
and unknown keys stay as they were.

Imported only when saving: tomlkit costs start-up time that `rephraser rewrite` must not pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from rephraser.core.config.schema import AppRule, describe
from rephraser.core.config.toml_text import rule_fields

__all__ = ["TOMLKitError", "apply_changes", "as_document", "parse_document"]


def parse_document(text: str) -> TOMLDocument:
    """The document with its formatting.

    Raises:
        TOMLKitError: not valid TOML.
    """
    return tomlkit.parse(text)


def as_document(mapping: Mapping[str, Any]) -> TOMLDocument:
    """`mapping` as a document (a migration step may return a plain dict instead of editing its input)."""
    if isinstance(mapping, TOMLDocument):
        return mapping
    document = tomlkit.document()
    document.update(mapping)
    return document


def apply_changes(document: TOMLDocument, changes: Mapping[str, Any]) -> str:
    """Write each changed setting in place (a new key goes after the last one above the tables) and
    return the text."""
    for name, value in changes.items():
        if name == "app_rules":
            _set_rules(document, value)
            continue
        if isinstance(document.get(name), Table | AoT):
            del document[name]  # a table of that name (or a dotted key) cannot hold a value: replace it
        if name in document:
            document[name] = value
        else:
            _add(document, name, value)
    return tomlkit.dumps(document)


def _add(document: TOMLDocument, name: str, value: Any) -> None:
    info = describe(name)
    tables = [index for index, (_key, item) in enumerate(document.body) if isinstance(item, Table | AoT)]
    if not tables:
        if info is not None:
            document.add(tomlkit.nl())
            document.add(tomlkit.comment(info.description))
        document.add(name, value)
        return
    # tomlkit alone would put the key just above the first table, below the comment that introduces it,
    # and a comment of ours there would read as the table's: so no description, and after the last key.
    keys = [key for key, _item in document.body[: tables[0]] if key is not None]
    if keys:
        document._insert_after(keys[-1], name, value)
    else:
        document._insert_at(0, name, value)


def _set_rules(document: TOMLDocument, rules: tuple[AppRule, ...]) -> None:
    if "app_rules" in document and (not rules or not isinstance(document["app_rules"], AoT)):
        del document["app_rules"]
    if not rules:
        return
    tables = tomlkit.aot()
    for rule in rules:
        table = tomlkit.table()
        for field, field_value in rule_fields(rule):
            table[field] = field_value
        tables.append(table)
    document["app_rules"] = tables

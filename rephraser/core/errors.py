"""Rephraser's exception tree.

Every error a user may see derives from `RephraserError`; its `str()` is a message written for users:
what went wrong and what to do. Library errors are translated with `raise ... from exc`.

    RephraserError
     ├── InputError                  the text to rewrite cannot be used
     │    ├── EmptyInputError
     │    ├── InputTooLargeError
     │    └── NotTextError           binary data or text that is not UTF-8
     ├── UnknownTargetError          a target name that is not auto/chat/code/image/multimodal
     ├── ConfigError                 a setting has a bad name or value
     ├── TemplateError               a template cannot be used
     │    ├── TemplateNotFoundError
     │    └── TemplateProblemError   syntax or render error, with file and line
     └── ProviderError               the model endpoint failed (see rephraser.core.providers)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EmptyInputError",
    "InputError",
    "InputTooLargeError",
    "NotTextError",
    "ProviderError",
    "RephraserError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateProblemError",
    "UnknownTargetError",
]


class RephraserError(Exception):
    """Base of every error meant for a user; the message says what happened and what to do."""


class InputError(RephraserError):
    """The text to rewrite cannot be used."""


class EmptyInputError(InputError):
    """Nothing (or only white space) was given."""


class InputTooLargeError(InputError):
    """The text is over the documented size limit."""


class NotTextError(InputError):
    """The input is binary data or not valid UTF-8."""


class UnknownTargetError(RephraserError):
    """A target name that Rephraser does not know."""


class ConfigError(RephraserError):
    """A setting has an unknown name or a value that is not allowed."""


class TemplateError(RephraserError):
    """A template cannot be found or used."""


class TemplateNotFoundError(TemplateError):
    """No template of that name exists in the user or built-in folders."""


class TemplateProblemError(TemplateError):
    """A template has a syntax error or fails while rendering.

    Attributes:
        path: the template's file (or its name when it has no file).
        line: the 1-based line of the problem, or None when Jinja2 did not say.
    """

    def __init__(self, message: str, path: str, line: int | None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ProviderError(RephraserError):
    """The model endpoint could not produce a rewrite."""

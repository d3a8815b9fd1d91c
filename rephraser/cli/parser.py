"""The argument parser: every command, its options and its handler."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rephraser import __version__
from rephraser.cli import commands
from rephraser.core.config.schema import REWRITE_STRENGTHS
from rephraser.core.providers import PROVIDER_NAMES
from rephraser.core.targets import FAMILIES, TARGET_CHOICES

__all__ = ["build_parser", "command_names"]


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def build_parser(only: str = "") -> argparse.ArgumentParser:
    """The `rephraser` parser; each leaf command sets `handler`.

    With `only` naming a command, just that command's parser is built: building all of them costs ~5 ms,
    which `rephraser rewrite`, started once per rewrite, should not pay. Help and errors for other input
    come from the full parser.
    """
    parser = argparse.ArgumentParser(
        prog="rephraser", description="Rewrite a rough prompt into a good one, in place, in any app."
    )
    parser.add_argument("--version", action="version", version=f"rephraser {__version__}")
    parser.add_argument(
        "--log-level", choices=("warning", "info", "debug"), default="warning", help="log detail on stderr"
    )
    parser.set_defaults(handler=commands.run_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, add in _COMMANDS.items():
        if not only or only == name:
            add(sub)
    return parser


def command_names() -> tuple[str, ...]:
    return tuple(_COMMANDS)


def _add_run(sub: Subparsers) -> None:
    run = sub.add_parser("run", help="start the tray app (the default)")
    run.add_argument("--log-json", action="store_true", help="one JSON object per step on stderr")
    run.set_defaults(handler=commands.run_app)


def _add_trigger(sub: Subparsers) -> None:
    trigger = sub.add_parser("trigger", help="ask the running tray app to rewrite the selection")
    trigger.add_argument("--target", choices=TARGET_CHOICES, default="", help="override the target")
    trigger.set_defaults(handler=commands.trigger)


def _add_hotkey(sub: Subparsers) -> None:
    hotkey = sub.add_parser("hotkey", help="what a compositor binding runs: press the named hotkey in the tray app")
    hotkey.add_argument("name", help="main, chat, code, image, multimodal or cancel")
    hotkey.set_defaults(handler=commands.hotkey)


def _add_revert(sub: Subparsers) -> None:
    sub.add_parser(
        "revert", help="ask the running tray app to put the last rewrite's original back over it"
    ).set_defaults(handler=commands.revert)


def _add_settings(sub: Subparsers) -> None:
    sub.add_parser("settings", help="open the settings window").set_defaults(handler=commands.settings)


def _add_autostart(sub: Subparsers) -> None:
    autostart = sub.add_parser("autostart", help="start the tray app at login, or stop doing so")
    autostart.add_argument("state", choices=("on", "off"))
    autostart.set_defaults(handler=commands.autostart)


def _add_shortcut(sub: Subparsers) -> None:
    shortcut = sub.add_parser(
        "shortcut", help="bind the hotkeys in the desktop's own shortcut settings (Wayland outside sway)"
    )
    shortcut.add_argument("action", choices=("install", "remove", "show"))
    shortcut.add_argument(
        "--desktop", choices=("gnome", "kde", "sway", "hyprland", "other"), default="", help="default: this session's"
    )
    shortcut.set_defaults(handler=commands.shortcut)


def _add_rewrite(sub: Subparsers) -> None:
    rewrite = sub.add_parser("rewrite", help="rewrite the text on stdin and print the result")
    rewrite.add_argument(
        "--target",
        choices=TARGET_CHOICES,
        default="",
        help="what the prompt is for (default: the default_target setting)",
    )
    rewrite.add_argument("--template", default="", metavar="NAME", help="use this template")
    rewrite.add_argument(
        "--family",
        default="",
        choices=sorted({f for fs in FAMILIES.values() for f in fs}),
        help="the model family to write for (e.g. claude, midjourney); default: the family_<target> setting",
    )
    rewrite.add_argument(
        "--strength",
        default="",
        choices=REWRITE_STRENGTHS,
        help="model mode: how much the rewrite may add (default: the rewrite_strength setting)",
    )
    rewrite.add_argument("--offline", action="store_true", help="use templates only, whatever the mode")
    rewrite.add_argument("--app", default="", metavar="CLASS", help="the app class the text comes from")
    rewrite.add_argument(
        "--title", default="", metavar="TITLE", help="the window title the text comes from (it may pick the family)"
    )
    rewrite.add_argument("--json", action="store_true", help="print one JSON object with how it was made")
    rewrite.add_argument("--stream", action="store_true", help="model mode: print the rewrite as it arrives")
    rewrite.set_defaults(handler=commands.rewrite)


def _add_models(sub: Subparsers) -> None:
    sub.add_parser("models", help="list the configured endpoint's models").set_defaults(handler=commands.models)


def _add_describe(sub: Subparsers) -> None:
    describe = sub.add_parser("describe", help="image to prompt: a prompt for an image generator that makes IMAGE")
    describe.add_argument("image", metavar="IMAGE", help="a PNG, JPEG, GIF or WebP file, or - for stdin")
    describe.add_argument(
        "--family",
        default="",
        choices=FAMILIES["image"],
        help="the image generator to write for (default: the family_image setting, else sdxl)",
    )
    describe.add_argument("--hint", default="", metavar="TEXT", help='what to change or stress ("make it winter")')
    describe.add_argument("--json", action="store_true", help="print one JSON object: text, family, model")
    describe.set_defaults(handler=commands.describe_image)


def _add_doctor(sub: Subparsers) -> None:
    sub.add_parser("doctor", help="check config, templates, keyring and endpoint").set_defaults(handler=commands.doctor)


def _add_templates(sub: Subparsers) -> None:
    templates = sub.add_parser("templates", help="list, show and check templates")
    templates.set_defaults(handler=lambda _args: _usage(templates))
    actions = templates.add_subparsers(title="actions", metavar="ACTION")
    actions.add_parser("list", help="every template, with its target and origin").set_defaults(
        handler=commands.templates_list
    )
    show = actions.add_parser("show", help="print a template's source")
    show.add_argument("name")
    show.set_defaults(handler=commands.templates_show)
    check = actions.add_parser("check", help="check syntax and rendering (all templates, or these files)")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.set_defaults(handler=commands.templates_check)


def _add_key(sub: Subparsers) -> None:
    key = sub.add_parser("key", help="store API keys in the OS keyring")
    key.set_defaults(handler=lambda _args: _usage(key))
    actions = key.add_subparsers(title="actions", metavar="ACTION", dest="key_action")
    for name, text in (
        ("set", "store a provider's key (prompted without echo, or read from stdin)"),
        ("delete", "remove a provider's key"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("provider", choices=PROVIDER_NAMES)
        action.set_defaults(handler=commands.key)
    actions.add_parser("status", help="where each provider's key comes from").set_defaults(handler=commands.key)


def _add_config(sub: Subparsers) -> None:
    config = sub.add_parser("config", help="read and change settings")
    config.set_defaults(handler=lambda _args: _usage(config))
    actions = config.add_subparsers(title="actions", metavar="ACTION")
    get = actions.add_parser("get", help="print one setting")
    get.add_argument("key")
    get.set_defaults(handler=commands.config_get)
    set_ = actions.add_parser("set", help="change one setting")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.set_defaults(handler=commands.config_set)
    actions.add_parser("path", help="print the config file's path").set_defaults(handler=commands.config_path)
    actions.add_parser("list", help="print every setting").set_defaults(handler=commands.config_list)


def _add_history(sub: Subparsers) -> None:
    from rephraser.cli import history_commands

    history = sub.add_parser("history", help="the tray app's recent rewrites: list, show, clear")
    history.set_defaults(handler=lambda _args: _usage(history))
    actions = history.add_subparsers(title="actions", metavar="ACTION")
    list_ = actions.add_parser("list", help="the newest rewrites first")
    list_.add_argument("--search", default="", metavar="TEXT", help="only rewrites whose texts contain TEXT")
    list_.add_argument("--limit", type=int, default=20, metavar="N", help="at most N rewrites (default 20)")
    list_.add_argument("--json", action="store_true", help="one JSON object per line")
    list_.set_defaults(handler=history_commands.history_list)
    show = actions.add_parser("show", help="one rewrite in full")
    show.add_argument("id", type=int, metavar="N")
    show.add_argument("--json", action="store_true", help="one JSON object")
    show.set_defaults(handler=history_commands.history_show)
    actions.add_parser("clear", help="delete the history").set_defaults(handler=history_commands.history_clear)


_COMMANDS = {
    "run": _add_run,
    "trigger": _add_trigger,
    "hotkey": _add_hotkey,
    "revert": _add_revert,
    "settings": _add_settings,
    "autostart": _add_autostart,
    "shortcut": _add_shortcut,
    "rewrite": _add_rewrite,
    "models": _add_models,
    "describe": _add_describe,
    "doctor": _add_doctor,
    "key": _add_key,
    "templates": _add_templates,
    "config": _add_config,
    "history": _add_history,
}


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    return 2

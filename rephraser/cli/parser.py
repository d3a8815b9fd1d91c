"""The argument parser: every command, its options and its handler."""

from __future__ import annotations

import argparse

from rephraser import __version__
from rephraser.cli import commands
from rephraser.core.providers import PROVIDER_NAMES
from rephraser.core.targets import FAMILIES, TARGET_CHOICES

__all__ = ["build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The `rephraser` parser; each leaf command sets `handler`."""
    parser = argparse.ArgumentParser(
        prog="rephraser", description="Rewrite a rough prompt into a good one, in place, in any app."
    )
    parser.add_argument("--version", action="version", version=f"rephraser {__version__}")
    parser.add_argument(
        "--log-level", choices=("warning", "info", "debug"), default="warning", help="log detail on stderr"
    )
    parser.set_defaults(handler=commands.run_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = sub.add_parser("run", help="start the tray app (the default)")
    run.add_argument("--log-json", action="store_true", help="one JSON object per step on stderr")
    run.set_defaults(handler=commands.run_app)

    trigger = sub.add_parser("trigger", help="ask the running tray app to rewrite the selection")
    trigger.add_argument("--target", choices=TARGET_CHOICES, default="", help="override the target")
    trigger.set_defaults(handler=commands.trigger)

    sub.add_parser("settings", help="open the settings window").set_defaults(handler=commands.settings)

    autostart = sub.add_parser("autostart", help="start the tray app at login, or stop doing so")
    autostart.add_argument("state", choices=("on", "off"))
    autostart.set_defaults(handler=commands.autostart)

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
    rewrite.add_argument("--offline", action="store_true", help="use templates only, whatever the mode")
    rewrite.add_argument("--app", default="", metavar="CLASS", help="the app class the text comes from")
    rewrite.add_argument("--json", action="store_true", help="print one JSON object with how it was made")
    rewrite.add_argument("--stream", action="store_true", help="model mode: print the rewrite as it arrives")
    rewrite.set_defaults(handler=commands.rewrite)

    sub.add_parser("models", help="list the configured endpoint's models").set_defaults(handler=commands.models)
    sub.add_parser("doctor", help="check config, templates, keyring and endpoint").set_defaults(handler=commands.doctor)
    _add_key(sub)

    _add_templates(sub)
    _add_config(sub)
    return parser


def _add_templates(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _add_key(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _add_config(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    return 2

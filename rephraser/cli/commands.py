"""What each CLI command does. Handlers take the parsed arguments and return an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rephraser.composition import Core, build_core
from rephraser.core.config.schema import describe, setting_names
from rephraser.core.config.toml_text import toml_value
from rephraser.core.errors import ConfigError
from rephraser.core.requests import RewriteRequest
from rephraser.core.suggest import did_you_mean
from rephraser.core.text_input import read_input

__all__ = [
    "config_get",
    "config_list",
    "config_path",
    "config_set",
    "describe_image",
    "hotkey",
    "revert",
    "rewrite",
    "run_app",
    "shortcut",
    "templates_check",
    "templates_list",
    "templates_show",
]


def run_app(args: argparse.Namespace) -> int:
    """Start the tray app, or hand over to the one already running."""
    if _another_instance_answers():
        print("rephraser: already running (single instance); use `rephraser trigger` to rewrite.", file=sys.stderr)
        return 0
    from rephraser.composition import run_desktop

    return run_desktop(args.started, getattr(args, "log_json", False))


def _another_instance_answers() -> bool:
    from rephraser.core.config.paths import SocketPathTooLongError, ipc_socket_path

    try:
        if not ipc_socket_path().exists():
            return False  # none runs; and `socket` (~10 ms to import) need not load before the hotkey is live
    except SocketPathTooLongError:
        return False  # none can be asked (the app then starts and says why `trigger` will not work)
    from rephraser.core.ipc import NotRunningError, send

    try:
        send({"command": "activate"}, timeout_s=2.0)
    except NotRunningError:
        return False  # a stale socket from a crashed run
    return True


def settings(_args: argparse.Namespace) -> int:
    """Open the settings window in the running app (raising it if open), or on its own."""
    from rephraser.core.ipc import NotRunningError, send

    try:
        send({"command": "settings"}, timeout_s=2.0)
    except NotRunningError:
        from rephraser.platform import select_desktop_backends

        select_desktop_backends()  # without a display, say so before Qt aborts the process
        from rephraser.composition import run_settings_window

        return run_settings_window()
    return 0


def trigger(args: argparse.Namespace) -> int:
    """Ask the running tray app to rewrite the selection."""
    from rephraser.cli.quick import send_trigger

    return send_trigger(args.target)


def revert(_args: argparse.Namespace) -> int:
    """Ask the running tray app to put the last rewrite's original back over it."""
    from rephraser.cli.quick import send_revert

    return send_revert()


def hotkey(args: argparse.Namespace) -> int:
    """Press a hotkey of the running tray app (sway runs this from its bindings: Wayland has no grabs)."""
    from rephraser.cli.quick import send_hotkey

    return send_hotkey(args.name)


def autostart(args: argparse.Namespace) -> int:
    """Start the tray app at login, or stop doing so."""
    from rephraser.platform import select_autostart

    autostart = select_autostart()
    if args.state == "on":
        print(f"Rephraser will start at login ({autostart.enable()}).")
    else:
        removed = autostart.disable()
        print(f"Rephraser will not start at login (removed {removed})." if removed else "Autostart was already off.")
    return 0


def shortcut(args: argparse.Namespace) -> int:
    """The hotkeys as the desktop's own shortcuts, each running `rephraser hotkey NAME` (install), taken out
    again (remove), or the steps to add them by hand (show)."""
    from rephraser.composition import load_config
    from rephraser.core.desktop.hotkey_settings import configured_hotkeys
    from rephraser.platform import shortcuts

    desktop = args.desktop or shortcuts.detect_desktop()
    wanted = shortcuts.shortcuts(configured_hotkeys(load_config()[1].settings))
    home = Path.home()
    if args.action == "install":
        lines = shortcuts.install(desktop, wanted, home)
    elif args.action == "remove":
        lines = shortcuts.remove(desktop, home) or [f"No Rephraser shortcuts were set ({desktop})."]
    else:
        lines = shortcuts.install("other", wanted, home)
    print("\n".join(lines))
    return 0


def rewrite(args: argparse.Namespace) -> int:
    """Read stdin, rewrite it, print the result."""
    core = _core()
    text = read_input(sys.stdin.buffer)
    request = RewriteRequest(
        text=text,
        target=args.target,
        template=args.template,
        app_class=args.app,
        app_name=args.title,
        family=args.family,
        strength=args.strength,
    )
    if args.offline or core.config.settings.mode == "offline":
        result = core.rewriter.offline(request)
    else:
        from rephraser.cli.model_commands import rewrite_with_model

        result = rewrite_with_model(core, request, stream_to_stdout=args.stream and not args.json)
    if result.notice and not args.json:
        print(f"rephraser: notice: {result.notice}", file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(result.as_dict(), ensure_ascii=False))
    elif result.text:
        print(result.text)
    return 0


def models(_args: argparse.Namespace) -> int:
    """List the endpoint's models."""
    from rephraser.cli import model_commands

    return model_commands.models(_core())


def describe_image(args: argparse.Namespace) -> int:
    """Image to prompt."""
    from rephraser.cli import model_commands

    return model_commands.describe(args, _core())


def doctor(_args: argparse.Namespace) -> int:
    """Check the set-up."""
    from rephraser.cli.doctor import doctor as run_doctor

    return run_doctor(_core())


def key(args: argparse.Namespace) -> int:
    """`rephraser key set|delete|status`."""
    from rephraser.cli import model_commands

    actions = {"set": model_commands.key_set, "delete": model_commands.key_delete, "status": model_commands.key_status}
    return actions[args.key_action](args, _core())


def templates_list(_args: argparse.Namespace) -> int:
    """One line per template: name, target, origin, description."""
    for info in _core().templates.list():
        origin = "user, overrides built-in" if info.overrides_builtin else "built-in" if info.builtin else "user"
        print(f"{info.name:<20} {info.target or '-':<11} {origin:<25} {info.description}")
    return 0


def templates_show(args: argparse.Namespace) -> int:
    """Print a template's source."""
    path = _core().templates.path_of(args.name)
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def templates_check(args: argparse.Namespace) -> int:
    """Render every part of each template with sample input; report problems with file and line."""
    from rephraser.cli.checking import check_paths

    core = _core()
    paths = [Path(p) for p in args.paths] or [info.path for info in core.templates.list()]
    problems = check_paths(core, paths)
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if not problems:
        print(f"{len(paths)} template(s) OK")
    return 1 if problems else 0


def config_get(args: argparse.Namespace) -> int:
    """Print one setting's value."""
    core = _core()
    if describe(args.key) is None:
        raise ConfigError(f'Unknown setting "{args.key}".{did_you_mean(args.key, setting_names())}')
    value = getattr(core.config.settings, args.key)
    print(value if isinstance(value, str) else _shown(value))
    return 0


def config_set(args: argparse.Namespace) -> int:
    """Change and save one setting; report what is wrong with the rest of the file (it stays as it is)."""
    result = build_core().config_store.set(args.key, args.value)
    for warning in result.warnings:
        print(f"rephraser: warning: {warning}", file=sys.stderr)
    if result.backup:
        print(f"rephraser: updated the file's older layout; the file as it was is in {result.backup}", file=sys.stderr)
    if args.key == "history" and not result.settings.history:
        from rephraser.composition import build_history

        history = build_history(result.settings)
        if history.clear():
            print(f"History deleted ({history.path}).")
    return 0


def config_path(_args: argparse.Namespace) -> int:
    """Print where the config file is."""
    print(build_core().config_store.path)
    return 0


def config_list(_args: argparse.Namespace) -> int:
    """Print every setting as `name = value`."""
    settings = _core().config.settings
    for name in setting_names():
        print(f"{name} = {_shown(getattr(settings, name))}")
    return 0


def _core() -> Core:
    """Build the core and report config problems on stderr (they never stop a command)."""
    core = build_core()
    for warning in core.config.warnings:
        print(f"rephraser: warning: {warning}", file=sys.stderr)
    return core


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(item._asdict()) for item in value) + "]"
    return toml_value(value)

"""The commands a desktop shortcut runs (`trigger`, `hotkey`, `revert`): one request to the tray app's
socket. Their plain forms skip argparse and the rest of the CLI (~40 ms before the request leaves);
anything else takes the full parser, which calls the same functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rephraser.core.errors import RephraserError

__all__ = ["quick_command", "send_hotkey", "send_revert", "send_trigger"]


def send_trigger(target: str) -> int:
    """Ask the running tray app to rewrite the selection (`target` "" for the detected one)."""
    return _request({"command": "trigger", **({"target": target} if target else {})}, "start a rewrite")


def send_hotkey(name: str) -> int:
    """Press a hotkey of the running tray app (sway's bindings do: Wayland has no grabs)."""
    return _request({"command": "hotkey", "name": name}, "take the hotkey")


def send_revert() -> int:
    """Ask the running tray app to put the last rewrite's original back."""
    return _request({"command": "revert"}, "revert")


def _request(command: dict[str, str], refused_to: str) -> int:
    """Send one command; a refusal is one error naming what the app did not do, and why."""
    from rephraser.core.ipc import send

    reply = send(command)
    if not reply.get("ok"):
        raise RephraserError(f"The running Rephraser did not {refused_to}: {reply.get('error', 'no reason given')}.")
    return 0


def quick_command(words: Sequence[str]) -> Callable[[], int] | None:
    """The request for `trigger`, `trigger --target T` and `hotkey NAME` as written; None for the rest."""
    match list(words):
        case ["trigger"]:
            return lambda: send_trigger("")
        case ["trigger", "--target", target] if _known_target(target):
            return lambda: send_trigger(target)
        case ["hotkey", name] if not name.startswith("-"):
            return lambda: send_hotkey(name)
        case ["revert"]:
            return send_revert
    return None


def _known_target(target: str) -> bool:
    """Another word goes to the full parser, whose usage error lists the choices."""
    from rephraser.core.targets import TARGET_CHOICES

    return target in TARGET_CHOICES

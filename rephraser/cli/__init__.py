"""The `rephraser` command line. Built on the core only: it never imports Qt for `rewrite` and friends.

Exit codes: 0 ok, 1 an error (one clear line on stderr, no traceback), 2 a usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from rephraser.core.errors import RephraserError

__all__ = ["main", "process_main"]


def process_main() -> int:
    """The process's entry point (the `rephraser` script, `python -m rephraser`): `main` with the cycle
    collector off until exit (see rephraser.lifetime)."""
    from rephraser import lifetime

    lifetime.start_command()
    try:
        return main()
    finally:
        lifetime.end_command()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    import time

    started = time.perf_counter()
    words = list(sys.argv[1:] if argv is None else argv)
    from rephraser.cli.quick import quick_command

    quick = quick_command(words)
    if quick is not None:  # a desktop shortcut's request: no parser to build (see cli/quick.py)
        return _run(quick)
    from rephraser.cli.parser import build_parser, command_names

    command = next((w for w in words if not w.startswith("-")), "")
    only = command if command in command_names() else ""  # an option's value falls back to the full parser
    parser = build_parser(only)
    args = parser.parse_args(words)
    args.started = started
    if args.log_level != "warning":
        _configure_logging(args.log_level)
    return _run(lambda: int(args.handler(args)))


def _run(handler: Callable[[], int]) -> int:
    """Run a command's handler: its exit code, or one line on stderr for any failure."""
    try:
        return handler()
    except RephraserError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`rephraser ... | head`); nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # the one hook for the unexpected: a line, not a traceback
        if os.environ.get("REPHRASER_DEBUG"):
            raise
        return fail(
            f"internal error ({type(exc).__name__}: {exc}). Set REPHRASER_DEBUG=1 for details and please report it."
        )


def _configure_logging(level: str) -> None:
    import logging

    logging.basicConfig(stream=sys.stderr, level=level.upper(), format="rephraser %(levelname)s %(name)s: %(message)s")


def fail(message: str) -> int:
    """Print one error line on stderr; return exit code 1."""
    print(f"rephraser: {message}", file=sys.stderr)
    return 1

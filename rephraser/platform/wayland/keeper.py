"""The Wayland clipboard keeper process: holds CLIPBOARD with every format's bytes after Rephraser has quit,
through its own data-control source, until another program takes the clipboard (protocol of the helper:
rephraser.platform.keeper). Qt-free: a long-lived helper should cost a few megabytes.

Wayland has no clipboard manager convention to hand the data to (managers there copy every selection
themselves), so it always serves them itself.

`python -m rephraser.platform.wayland.keeper`
"""

from __future__ import annotations

import json
import os
import sys

from rephraser.platform.keeper import read_payload
from rephraser.platform.wayland.data_control import DataControl
from rephraser.platform.wayland.wire import Connection, WaylandError

__all__ = ["main"]


def serve(formats: dict[str, bytes]) -> int:
    """Take the clipboard, report, and serve it until another program copies (or the session ends)."""
    try:
        connection = Connection()
        control = DataControl(connection)
        control.offer(formats)
    except WaylandError as error:
        print(json.dumps({"error": str(error)}), flush=True)
        return 1
    print(json.dumps({"kept": "helper", "pid": os.getpid(), "note": "served by the keeper"}), flush=True)
    sys.stdout.close()
    try:
        while control.owns():
            connection.dispatch(60.0)
    except WaylandError:
        pass  # the compositor went away (logout): no clipboard left to keep
    return 0


def main() -> int:
    formats, _save_deadline_s = read_payload(sys.stdin.buffer)
    if os.fork() > 0:
        os._exit(0)  # the launcher ends at once (the parent reaps it); the keeper lives on alone
    os.chdir("/")
    return serve(formats)


if __name__ == "__main__":
    sys.exit(main())

"""How long a hotkey's request takes to reach the tray app's socket, from a fresh process: the command a
sway binding runs (the launcher SwayHotkeys writes), `rephraser hotkey main` and `rephraser trigger`, each
beside `python -c pass`, median of 20 whole processes against a socket that answers at once. Goal for
the binding's command: within 2x of `python -c pass` (figures, not verdicts).

Run: python bench/trigger.py
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
from pathlib import Path

from _timing import ensure_bytecode, median_ms, rephraser_command, time_commands

from rephraser.platform.wayland.sway import SwayHotkeys, SwayIpc

RUNS = 20


def _answer_forever(listener: socket.socket) -> None:
    while True:
        try:
            client, _address = listener.accept()
        except OSError:
            return
        with client:
            client.recv(4096)
            client.sendall(b'{"ok": true}\n')


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="rephraser-bench-"))
    env = {"REPHRASER_CONFIG_DIR": str(folder)}
    (folder / "run").mkdir(mode=0o700)
    path = folder / "run" / "rephraser.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    threading.Thread(target=_answer_forever, args=(listener,), daemon=True).start()
    launcher = SwayHotkeys(SwayIpc(str(folder / "no-sway")), path).write_launcher()  # no sway needed for it
    took = time_commands(
        {
            "python -c pass": [sys.executable, "-c", "pass"],
            "sway binding's launcher": [str(launcher), "main"],
            "rephraser hotkey main": [*rephraser_command(), "hotkey", "main"],
            "rephraser trigger": [*rephraser_command(), "trigger"],
        },
        runs=RUNS,
        env=env,
    )
    floor = median_ms(took.pop("python -c pass"))
    print(f"request to the tray app's socket, median of {RUNS} processes each, run in turn (ms)")
    print(f"  python -c pass                       {floor:7.1f}")
    for label, samples in took.items():
        goal = "   (goal <= 2.0)" if label.startswith("sway") else ""
        print(f"  {label:<36} {median_ms(samples):7.1f}   ratio {median_ms(samples) / floor:.2f}{goal}")
    listener.close()


if __name__ == "__main__":
    ensure_bytecode()
    main()

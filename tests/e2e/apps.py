"""Real target apps driven with xdotool: a GTK editor (mousepad), a terminal line editor (xterm running a
readline prompt), and a Chromium textarea."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from tests.e2e.conftest import activate, selection_text, wait_window, xdo

__all__ = ["ChromiumTextarea", "Mousepad", "TargetApp", "XtermPrompt"]

# Waits for an app's own events (a saved file, a selection, a report) end by these generous deadlines, so
# a machine with both cores busy is slower but never fails.
DEADLINE_S = 30


class TargetApp(Protocol):
    window: str

    def enter(self, text: str) -> None:
        """Replace the app's text with `text` and select it, as a user would."""
        ...

    def content(self, expected: str | None = None) -> str:
        """The app's text; an app that reports it asynchronously first waits (generously) for `expected`."""
        ...

    def close(self) -> None: ...


class Mousepad:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.file = folder / "note.txt"
        self.file.write_text("", encoding="utf-8")
        self.process = subprocess.Popen(
            ["mousepad", str(self.file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.window = wait_window(env, "mousepad")
        activate(env, self.window)

    def enter(self, text: str) -> None:
        activate(self.env, self.window)
        xdo(self.env, "key", "--clearmodifiers", "ctrl+a")
        xdo(self.env, "type", "--delay", "2", text)
        deadline = time.monotonic() + DEADLINE_S
        while self._saved() != text and time.monotonic() < deadline:  # every typed key has landed
            time.sleep(0.05)
        xdo(self.env, "key", "--clearmodifiers", "ctrl+a")

    def content(self, expected: str | None = None) -> str:
        if expected is not None and not self._modified() and self._read() == expected:
            return expected  # nothing changed since the last save (Ctrl+S would write nothing)
        return self._saved()

    def _modified(self) -> bool:
        return xdo(self.env, "getwindowname", self.window).startswith("*")

    def _read(self) -> str:
        return self.file.read_text(encoding="utf-8").removesuffix("\n")

    def _saved(self) -> str:
        """Save (Ctrl+S) and read the file back once mousepad has written it."""
        before = self.file.stat().st_mtime_ns
        xdo(self.env, "key", "--clearmodifiers", "ctrl+s")
        deadline = time.monotonic() + DEADLINE_S
        while self.file.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._read()

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


_PROMPT = """
import json, readline, sys
readline.parse_and_bind("set enable-bracketed-paste on")
out = sys.argv[1]
while True:
    print("\\x1b[2J\\x1b[H", end="", flush=True)
    line = input()
    with open(out, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\\n")
"""


class XtermPrompt:
    """xterm running a readline prompt (as a shell or REPL would), which writes each entered line to a file."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.out = folder / "entered.jsonl"
        self.out.write_text("", encoding="utf-8")
        script = folder / "prompt.py"
        script.write_text(_PROMPT, encoding="utf-8")
        self.process = subprocess.Popen(
            [
                "xterm",
                "-geometry",
                "100x20+0+0",
                "-fa",
                "DejaVu Sans Mono",
                "-fs",
                "11",
                "-e",
                sys.executable,
                str(script),
                str(self.out),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.window = wait_window(env, "xterm")
        activate(env, self.window)
        time.sleep(0.5)

    def enter(self, text: str) -> None:
        activate(self.env, self.window)
        xdo(self.env, "type", "--delay", "2", text)
        # Triple-click selects the line, as a user would (the prompt keeps the input on the first row); the
        # line is selected once PRIMARY holds it (a click before the echo selects an empty line: again).
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            xdo(
                self.env,
                "mousemove",
                "--window",
                self.window,
                "20",
                "8",
                "click",
                "--repeat",
                "3",
                "--delay",
                "60",
                "1",
            )
            if selection_text(self.env).strip() == text:
                return
            time.sleep(0.2)
        raise AssertionError(f"xterm never selected {text!r}")

    def content(self, expected: str | None = None) -> str:
        lines = self._entries()
        xdo(self.env, "key", "Return")
        deadline = time.monotonic() + DEADLINE_S
        while len(self._entries()) == len(lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._entries()[-1]

    def _entries(self) -> list[str]:
        return [json.loads(line) for line in self.out.read_text(encoding="utf-8").splitlines()]

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


_PAGE = b"""<!doctype html><meta charset="utf-8"><title>rephraser e2e</title>
<textarea id="t" autofocus style="width:95vw;height:80vh"></textarea>
<script>
const t = document.getElementById("t");
let last = null;
setInterval(() => {
  if (t.value !== last) {
    last = t.value;
    fetch("/report", {method: "POST", body: t.value});
  }
}, 20);
</script>"""


class _PageServer(BaseHTTPRequestHandler):
    reports: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.end_headers()
        self.wfile.write(_PAGE)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        self.reports.append(body)
        self.send_response(204)
        self.end_headers()


class ChromiumTextarea:
    """A textarea in Chromium (an --app window) whose value the page reports to a loopback server."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.reports: list[str] = []
        handler = type("Handler", (_PageServer,), {"reports": self.reports})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        browser = shutil.which("chromium") or "chromium"
        self.process = subprocess.Popen(
            [
                browser,
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-features=Translate,MediaRouter",
                "--password-store=basic",
                f"--user-data-dir={folder / 'chromium'}",
                "--window-position=0,0",
                "--window-size=900,600",
                f"--app=http://127.0.0.1:{self.server.server_address[1]}/",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.window = wait_window(env, "chromium", timeout_s=60)
        deadline = time.monotonic() + 30
        while not self.reports and time.monotonic() < deadline:  # the page reports "" once loaded
            time.sleep(0.1)
        activate(env, self.window)

    def enter(self, text: str) -> None:
        activate(self.env, self.window)
        xdo(self.env, "key", "--clearmodifiers", "ctrl+a")
        xdo(self.env, "type", "--delay", "2", text)
        self._settle(text)
        xdo(self.env, "key", "--clearmodifiers", "ctrl+a")

    def content(self, expected: str | None = None) -> str:
        """The page reports its value every 20 ms: wait for `expected`, else for the value to stay put."""
        if expected is not None:
            self._settle(expected)
        else:
            time.sleep(0.5)
        return self.reports[-1] if self.reports else ""

    def _settle(self, expected: str) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while (not self.reports or self.reports[-1] != expected) and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self.server.shutdown()
        self.server.server_close()

"""Start a private Xvfb with a window manager (for the e2e tests and bench/desktop.py)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from typing import NamedTuple

__all__ = ["XServer", "start_x_server"]


class XServer(NamedTuple):
    env: dict[str, str]
    processes: tuple[subprocess.Popen[bytes], ...]

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


def start_x_server() -> XServer:
    """Xvfb on a free display (it picks the number) plus openbox, so windows get focus as on a desktop."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    home = tempfile.mkdtemp(prefix="rephraser-x-home-")
    env = {
        **os.environ,
        "DISPLAY": f":{number}",
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "QT_QPA_PLATFORM": "xcb",
        "NO_AT_BRIDGE": "1",
        "GTK_A11Y": "none",
    }
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("XDG_SESSION_TYPE", None)
    openbox = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return XServer(env, (openbox, xvfb))

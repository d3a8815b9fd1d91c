"""A real Secret Service for the tests: a private D-Bus session bus and an unlocked gnome-keyring."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.processes import start_session_bus, stop_session_bus


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment variables that point processes at a fresh, unlocked Secret Service."""
    home = tmp_path_factory.mktemp("home")
    bus, address = start_session_bus()
    env = {**os.environ, "HOME": str(home), "DBUS_SESSION_BUS_ADDRESS": address, "XDG_DATA_HOME": str(home / "data")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert keyring_daemon.stdin is not None
    keyring_daemon.stdin.write(b"test-password")  # the login keyring's password, as at a desktop login
    keyring_daemon.stdin.close()
    _wait_for_secret_service(env)
    yield {"HOME": str(home), "DBUS_SESSION_BUS_ADDRESS": address, "XDG_DATA_HOME": str(home / "data")}
    keyring_daemon.terminate()
    keyring_daemon.wait(timeout=10)
    stop_session_bus(bus)


def _wait_for_secret_service(env: dict[str, str]) -> None:
    probe = "import secretstorage; c = secretstorage.dbus_init(); secretstorage.get_default_collection(c)"
    for _ in range(100):
        if _probe(probe, env):
            return
    raise AssertionError("gnome-keyring-daemon did not offer a Secret Service on the private bus")


def _probe(code: str, env: dict[str, str]) -> bool:
    import sys
    import time

    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20, check=False)
    if done.returncode == 0:
        return True
    time.sleep(0.1)
    return False


def config_env(secret_service: dict[str, str], config_dir: Path) -> dict[str, str]:
    return {**secret_service, "REPHRASER_CONFIG_DIR": str(config_dir)}

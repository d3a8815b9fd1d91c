"""`rephraser run` keeps its log file private, also one an older version left world-readable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.e2e.conftest import RephraserProcess

pytestmark = pytest.mark.e2e


def test_the_running_app_makes_its_log_0600_in_a_0700_folder(x_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config"
    cache = config / "cache"  # the cache folder follows REPHRASER_CONFIG_DIR
    cache.mkdir(parents=True, mode=0o755)
    cache.chmod(0o755)
    log = cache / "rephraser.log"
    log.write_text("an old notice\n", encoding="utf-8")
    log.chmod(0o644)
    app = RephraserProcess({**x_env, "REPHRASER_CONFIG_DIR": str(config)})
    try:
        assert (0o700, 0o600) == (stat.S_IMODE(os.stat(cache).st_mode), stat.S_IMODE(os.stat(log).st_mode))
    finally:
        app.stop()
    assert " ready " in log.read_text(encoding="utf-8")  # the app still logs to it

"""The cycle collector over the process's life: off for a command; for what stays running, start-up's
objects frozen and collection left to the desktop's idle collector (tests/gui/test_collector.py)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from rephraser import lifetime
seen = {"start": gc.isenabled()}
lifetime.start_command()
seen["command"] = gc.isenabled()
lifetime.keep_running()
seen["running"] = gc.isenabled()
seen["frozen"] = gc.get_freeze_count() > 0
print(json.dumps(seen))
"""


def test_a_command_runs_without_the_collector_and_one_that_stays_freezes_its_start_up() -> None:
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert {"start": True, "command": False, "running": False, "frozen": True} == json.loads(probe.stdout)


def test_the_command_line_exits_with_the_collector_off_and_its_objects_frozen() -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "sys.argv = ['rephraser', '--version']\n"
        "from rephraser.cli import process_main\n"
        "try:\n"
        "    process_main()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "False True" == probe.stdout.strip().splitlines()[-1]

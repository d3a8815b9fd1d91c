"""The cycle collector over the process's life: off for a command, back on for what stays running."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from rephraser import lifetime

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


def test_a_command_runs_without_the_collector_and_one_that_stays_gets_it_back() -> None:
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert {"start": True, "command": False, "running": True, "frozen": True} == json.loads(probe.stdout)


def test_keep_running_leaves_a_process_that_never_turned_it_off_alone() -> None:
    frozen = gc.get_freeze_count()
    lifetime.keep_running()
    assert (True, frozen) == (gc.isenabled(), gc.get_freeze_count())


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

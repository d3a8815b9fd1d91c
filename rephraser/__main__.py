"""`python -m rephraser` runs the command line."""

import sys

from rephraser.cli import process_main

sys.exit(process_main())

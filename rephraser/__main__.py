"""`python -m rephraser` runs the command line."""

import sys

from rephraser.cli import main

sys.exit(main())

"""`python -m leaderkit.cli` runs the `leaderkit` command."""

import sys

from leaderkit.cli import main

sys.exit(main())

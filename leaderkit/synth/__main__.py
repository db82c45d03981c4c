"""`python -m leaderkit.synth sample DIR | national PATH`: the synthetic data generators."""

import sys

from leaderkit.synth.generators import main

sys.exit(main())

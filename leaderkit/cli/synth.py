"""`leaderkit synth sample DIR` / `leaderkit synth national PATH`: seeded illustrative and national-scale data."""

from leaderkit.synth.generators import HELP, add_arguments, run

__all__ = ["HELP", "add_arguments", "run"]

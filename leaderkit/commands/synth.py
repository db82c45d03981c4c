"""`leaderkit synth sample DIR` / `leaderkit synth national PATH`: seeded illustrative and national-scale data."""

from ..synth import HELP, add_arguments, run

__all__ = ["HELP", "add_arguments", "run"]

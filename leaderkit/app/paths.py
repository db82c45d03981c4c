"""Where leaderkit finds its data: the bundled sample data, or a folder the user points at.

`make run DATA=/path/to/folder` (or LEADERKIT_DATA=/path) makes notebooks and dashboards read that
folder instead of `sample_data/`. The folder holds the same file names as `sample_data/`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DATA = PROJECT_ROOT / "sample_data"
CACHE_ENV = "LEADERKIT_CACHE"


def cache_dir() -> Path:
    """Where the dashboards cache results and map shapes: $LEADERKIT_CACHE, else
    $XDG_CACHE_HOME/leaderkit (~/.cache/leaderkit)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "leaderkit"


def data_dir() -> Path:
    """The data folder in use: $LEADERKIT_DATA if set, else the bundled sample_data/."""
    env = os.environ.get("LEADERKIT_DATA")
    return Path(env).expanduser().resolve() if env else SAMPLE_DATA


def data_file(name: str) -> Path:
    """A file in the data folder; falls back to the bundled sample when the user's folder lacks it."""
    path = data_dir() / name
    return path if path.exists() else SAMPLE_DATA / name

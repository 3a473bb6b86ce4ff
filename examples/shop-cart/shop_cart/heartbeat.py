"""A worker's liveness: its loop touches a file; the container's health check reads its age.

``python -m shop_cart.heartbeat [FILE] [MAX_AGE_SECONDS]`` exits 0 if FILE changed in the last
MAX_AGE_SECONDS, else 1: a consumer stuck in a call, or dead, goes unhealthy and is replaced.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

DEFAULT_FILE = Path("/tmp/heartbeat")  # noqa: S108 - /tmp is the task's writable volume
DEFAULT_MAX_AGE = 60.0


def beat(path: Path = DEFAULT_FILE) -> None:
    """Say the loop is alive."""
    path.touch()


def is_fresh(path: Path, max_age: float, now: float | None = None) -> bool:
    """True if path was touched less than max_age seconds ago."""
    try:
        changed = path.stat().st_mtime
    except FileNotFoundError:
        return False
    return (now if now is not None else time.time()) - changed < max_age


def main(argv: list[str] | None = None) -> int:
    """The health check: 0 when the heartbeat is fresh."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_FILE
    max_age = float(args[1]) if len(args) > 1 else DEFAULT_MAX_AGE
    return 0 if is_fresh(path, max_age) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Seconds and peak memory of `shipway validate` on hostile manifests (goal: < 1 s, < 100 MB).

Each case runs in a fresh process, as a user would run it; the figure includes the interpreter's
start. `python benchmarks/hostile_manifests.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shipway.testing.hostile_manifests import HOSTILE_MANIFESTS

GOAL_SECONDS = 1.0
GOAL_MB = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="shipway-hostile-"))
    print(
        f"{'case':<20} {'median s':>9} {'peak MB':>8}  goal (< {GOAL_SECONDS:g} s, < {GOAL_MB} MB)"
    )
    for name, (text, _) in HOSTILE_MANIFESTS.items():
        path = folder / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        seconds, peak = [], 0.0
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                [
                    "/usr/bin/time",
                    "-f",
                    "%M",
                    sys.executable,
                    "-m",
                    "shipway.cli",
                    "validate",
                    "-f",
                    str(path),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds.append(time.perf_counter() - started)
            assert done.returncode == 2, done.stderr
            peak = max(peak, int(done.stderr.splitlines()[-1]) / 1024)  # GNU time: peak KB
        median = statistics.median(seconds)
        met = "met" if median < GOAL_SECONDS and peak < GOAL_MB else "NOT met"
        print(f"{name:<20} {median:>9.2f} {peak:>8.0f}  {met}")


if __name__ == "__main__":
    main()

"""`shipway check` against `shipway synth` of the same manifest, through the real CLI.

Each round runs `shipway synth` then `shipway check` (fresh processes, wall time of the whole
command) of examples/profile/shipway.yml --env test, alternately, so both see the same machine.
Goal: check <= 2 x synth (cdk-nag runs in both; cfn-lint and checkov are check's extra).

    uv run --frozen python benchmarks/check.py [--rounds 3] [-f MANIFEST] [--env test]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 2.0
FINDINGS: set[str] = set()


def seconds(command: str, manifest: Path, env: str, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "shipway.cli",
            command,
            "-f",
            str(manifest),
            "--env",
            env,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode == 1 and command == "check":  # findings: the gates ran all the same
        FINDINGS.add(done.stderr.strip().splitlines()[-1])
    elif done.returncode != 0:
        raise SystemExit(f"shipway {command} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-f", "--file", type=Path, default=ROOT / "examples/profile/shipway.yml")
    parser.add_argument("--env", default="test")
    arguments = parser.parse_args()
    synth, check = [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cdk.out"
        seconds("synth", arguments.file, arguments.env, out)  # unmeasured: caches filled
        for _ in range(arguments.rounds):
            synth.append(seconds("synth", arguments.file, arguments.env, out))
            check.append(seconds("check", arguments.file, arguments.env, out))
    ratios = [mine / base for mine, base in zip(check, synth, strict=True)]
    ratio = statistics.median(ratios)
    name = f"{arguments.file.parent.name} --env {arguments.env}"
    for label, figures in (("synth", synth), ("check", check)):
        print(
            f"shipway {label} {name}: {min(figures):.1f}–{max(figures):.1f} s "
            f"(median {statistics.median(figures):.1f}, {arguments.rounds} rounds)"
        )
    for line in sorted(FINDINGS):
        print(f"(shipway check: {line}; timed all the same)")
    print(
        f"check / synth: {min(ratios):.2f}–{max(ratios):.2f} (median {ratio:.2f}); "
        f"goal <= {GOAL_RATIO:.1f}: {'met' if ratio <= GOAL_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

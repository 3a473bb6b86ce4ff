"""Seconds from `shipway dev` to `.shipway/dev.json` (everything healthy) per example; goal <= 3 s.

Each run is a fresh process (cold interpreter, fresh moto server and Redis). Besides the
examples, the test application of tests/dev (two services, a table, a cache, a loader with a
seed file) is measured. `python benchmarks/dev_startup.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 3.0
TIMEOUT_SECONDS = 60.0
TEST_APP = """\
name: devbench
environments:
  test: {account: "123456789012", region: us-east-1}
services:
  api:
    type: backend
    image: {build: {context: .}}
    uses: [items, session, items-import]
  web:
    image: {build: {context: .}}
    local: {command: [python, service.py]}
    uses: [api]
tables:
  items: {partition_key: id}
caches:
  session: {}
buckets:
  items-import: {loader: {table: items, format: json}}
seed:
  - {bucket: items-import, file: seed.json}
"""


def test_application(folder: Path) -> Path:
    """tests/dev's service, with a Dockerfile and a seed file, in folder."""
    shutil.copy(ROOT / "tests" / "dev" / "apps" / "service.py", folder / "service.py")
    (folder / "Dockerfile").write_text('FROM python:3.11-slim\nCMD ["python", "service.py"]\n')
    (folder / "seed.json").write_text('[{"id": "a"}, {"id": "b"}]\n')
    (folder / "shipway.yml").write_text(TEST_APP)
    return folder / "shipway.yml"


def startup_seconds(manifest: Path) -> float:
    """Start `shipway dev`, time until dev.json appears, stop it with SIGINT."""
    dev_json = manifest.parent / ".shipway" / "dev.json"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "shipway.cli", "dev", "-f", str(manifest)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "160"},
    )
    try:
        while not dev_json.exists():
            if process.poll() is not None:
                raise RuntimeError(
                    f"exited with {process.returncode}: "
                    f"{process.stderr.read().decode() if process.stderr else ''}"
                )
            if time.perf_counter() - started > TIMEOUT_SECONDS:
                raise RuntimeError(f"no dev.json within {TIMEOUT_SECONDS:g} s")
            time.sleep(0.01)  # polling the file is the measurement
        return time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(name: str, manifest: Path, runs: int) -> bool:
    """Print one line for an application; True if within the goal."""
    try:
        figures = [startup_seconds(manifest) for _ in range(runs)]
    except RuntimeError as error:
        print(f"{name:<14} failed: {error}")
        return False
    median = statistics.median(figures)
    verdict = "ok" if median <= GOAL_SECONDS else "over the goal"
    listing = ", ".join(f"{figure:.2f}" for figure in figures)
    print(f"{name:<14} {median:5.2f} s  (runs: {listing})  {verdict}")
    return median <= GOAL_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per application (median)")
    runs = parser.parse_args().runs
    print(
        f"seconds from `shipway dev` to .shipway/dev.json, median of {runs} cold runs; "
        f"goal <= {GOAL_SECONDS:g} s"
    )
    results = [
        measure(manifest.parent.name, manifest, runs)
        for manifest in sorted((ROOT / "examples").glob("*/shipway.yml"))
    ]
    with tempfile.TemporaryDirectory() as folder:
        results.append(measure("tests/dev app", test_application(Path(folder)), runs))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()

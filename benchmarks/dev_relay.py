"""What `shipway dev`'s log relay costs a busy service: profile's GET / alone vs under dev.

Alone, profile runs as its image runs it (`python -m profile_api`, PYTHONUNBUFFERED=1), its
output going straight to a file. Under dev, `shipway dev -f examples/profile/shipway.yml` starts
it and relays every access-log line to its own output (a file here). Both times the service (and
under dev, shipway itself: the relay shares the service's CPU) runs on CPU 0 and wrk on the
others, all on 127.0.0.1. Rounds alternate alone / under dev, so both see the same machine.
Goal: under dev >= 0.80 x alone (the relay costs at most 20%). The share of a core that the
`shipway dev` process itself used during the load is printed too: it is what the relay takes
from the service, and unlike requests/s it hardly moves with other work on the machine. Each
process is stopped at the end of its round; the whole run is bounded (--seconds per load, 60 s
to start).

    uv run --frozen python benchmarks/dev_relay.py [--seconds 5] [--rounds 3] [--connections 64]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from examples import EXAMPLES, SERVER_CPU, Load, Options, serve, wrk

GOAL_RATIO = 0.80
START_TIMEOUT = 60.0
RELAY_CPU: list[float] = []  # share of a core the `shipway dev` process used during each load
MANIFEST = EXAMPLES / "profile" / "shipway.yml"


def alone(options: Options) -> Load:
    """profile as its image runs it, on SERVER_CPU, output to a file."""
    with contextlib.ExitStack() as stack:
        url = serve(stack, options.workdir, "profile", "profile_api", {"PYTHONUNBUFFERED": "1"})
        return _load(f"{url}/", options)


def under_dev(options: Options) -> Load:
    """profile started by `shipway dev` (itself on SERVER_CPU), dev's output to a file."""
    dev_json = MANIFEST.parent / ".shipway" / "dev.json"
    log = options.workdir / "shipway-dev.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                "taskset",
                "-c",
                str(SERVER_CPU),
                sys.executable,
                "-m",
                "shipway.cli",
                "dev",
                "-f",
                str(MANIFEST),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "COLUMNS": "160"},
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not dev_json.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"shipway dev did not start; see {log}")
            time.sleep(0.05)  # polling for the file shipway writes once everything is healthy
        url = json.loads(dev_json.read_text())["services"]["profile"]["url"]
        wrk(f"{url}/", {}, 1, options)  # warm-up
        before = _cpu_seconds(process.pid)
        load = wrk(f"{url}/", {}, options.seconds, options)
        RELAY_CPU.append((_cpu_seconds(process.pid) - before) / options.seconds)
        return load
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cpu_seconds(pid: int) -> float:
    """CPU time of one process (all its threads: the relay's included), not its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load(url: str, options: Options) -> Load:
    wrk(url, {}, 1, options)  # warm-up: connections open, code paths hot
    return wrk(url, {}, options.seconds, options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    arguments = parser.parse_args()
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing or len(os.sched_getaffinity(0)) < 2:
        raise SystemExit(f"needs wrk and taskset (apt-get install wrk) and 2 CPUs: {missing}")
    # wrk (and anything else started from here) runs on the CPUs other than the server's.
    os.sched_setaffinity(0, os.sched_getaffinity(0) - {SERVER_CPU})
    with tempfile.TemporaryDirectory() as folder:
        options = Options(arguments.seconds, arguments.connections, arguments.rounds, Path(folder))
        pairs = [(alone(options), under_dev(options)) for _ in range(arguments.rounds)]
    ratios = [dev.rps / solo.rps for solo, dev in pairs]
    ratio = statistics.median(ratios)
    for label, loads in (
        ("alone", [p[0] for p in pairs]),
        ("under shipway dev", [p[1] for p in pairs]),
    ):
        rps = [load.rps for load in loads]
        p99 = [load.p99_ms for load in loads]
        errors = sum(load.errors for load in loads)
        print(
            f"profile GET / {label}: {min(rps):,.0f}–{max(rps):,.0f} req/s, p99 "
            f"{min(p99):.1f}–{max(p99):.1f} ms, {errors} errors "
            f"(wrk -t1 -c{arguments.connections} -d{arguments.seconds}s, {arguments.rounds} rounds)"
        )
    print(
        f"shipway dev's own CPU (the relay and everything else it does) under that load: "
        f"{min(RELAY_CPU):.1%}–{max(RELAY_CPU):.1%} of a core"
    )
    print(
        f"under dev / alone: {min(ratios):.2f}–{max(ratios):.2f} (median {ratio:.2f}); "
        f"goal >= {GOAL_RATIO:.2f}: {'met' if ratio >= GOAL_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

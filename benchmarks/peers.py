"""Peers side by side: our examples against the seeds' own apps, in one run, on one machine.

- three-tier's page (web GET /) and api (GET /items/{key}) against seed 002's Flask app (its
  GET /, a Scan rendered as HTML), all reading the same moto table holding three-tier's
  data/items.json. Goal: >= 10 x the peer's requests/s at an equal or better p99.
- profile's GET / against seed 003's Go app (its GET /, a JSON profile). Goal: the one the
  examples have against Go (benchmarks/examples.py): >= 0.30 x its requests/s, p99 <= 15 ms.

The peers run from their published source, copied into $SHIPWAY_PEERS (benchmarks/peers/README.md
says from which commit; neither repository states a licence, so it is not in ours), as their
Dockerfiles run them but as processes here: seed 002 under gunicorn with the image's flags, in a
venv of its own holding its Pipfile.lock's pinned packages (installed by uv, hashes checked);
seed 003 built by Go in GOPATH mode. Each side in turn runs on CPU 0 while wrk (-t1), moto and
the api that three-tier's web calls run on the other CPUs, all on 127.0.0.1; rounds alternate
ours / theirs and the best figures of each are kept; after each load the server is left to go
idle (seed 002's one sync worker still answers what wrk abandoned). Under each row, the server
CPU per answered request of each side, which moto's slow Scan does not distort; a first line
loads that Scan alone, what bounds seed 002 here. Bounded: --seconds per load, 30 s to go idle,
60 s to start, 5 min to install the peer's packages. Needs go, wrk, taskset and uv (PyPI or
uv's cache); prints figures and exits 0 whether or not the goals are met. --smoke (1 s per
load after 1 s of warm-up, one round) only checks that it runs.

    uv run --frozen python benchmarks/peers.py [--seconds 5] [--rounds 3] [--connections 64]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from boto3.dynamodb.types import TypeSerializer
from peer_apps import SEED_002_TABLE, seed_002, seed_003
from server_cpu import listening_session, session_cpu_seconds, wait_until_idle

from examples import (
    EXAMPLES,
    GOAL_P99_MS,
    GOAL_RATIO,
    SERVER_CPU,
    BenchmarkError,
    HotPath,
    Load,
    Options,
    best,
    create_table,
    dynamodb,
    moto,
    moto_get_item,
    request,
    serve,
    wrk,
)

if TYPE_CHECKING:
    from collections.abc import Callable

WRK_TIMEOUT_MS = 5000  # examples.wrk's --timeout: slower answers count as errors, not in p99
# What our Dockerfiles set (examples/three-tier, examples/profile): ours run as their images do.
OUR_IMAGE_ENV = {"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass(frozen=True)
class Goal:
    """What ours must reach against the peer: a ratio of requests/s, and a bound on our p99."""

    ratio: float
    p99_ms: float | None  # None: at most the peer's p99
    text: str

    def met(self, ours: Load, theirs: Load) -> bool:
        bound = theirs.p99_ms if self.p99_ms is None else self.p99_ms
        return ours.rps >= self.ratio * theirs.rps and ours.p99_ms <= bound and not ours.errors


VERSUS_FLASK = Goal(10.0, None, ">= 10x, p99 <= peer's")
VERSUS_GO = Goal(GOAL_RATIO, GOAL_P99_MS, f">= {GOAL_RATIO:.2f}x, p99 <= {GOAL_P99_MS:g} ms")


@dataclass(frozen=True)
class Pairing:
    """One row: our hot path and the peer's, each loaded in turn."""

    ours: str
    ours_url: str
    theirs: str
    theirs_url: str
    goal: Goal


def shared_table(stack: contextlib.ExitStack, folder: Path) -> tuple[dict[str, str], str]:
    """moto holding three-tier's items in the table seed 002 reads; moto's env and a key."""
    aws = moto(stack, folder)
    client = dynamodb(aws)
    create_table(client, SEED_002_TABLE, "key")  # three-tier's partition key; seed 002 scans
    items = json.loads(
        (EXAMPLES / "three-tier" / "data" / "items.json").read_text(), parse_float=Decimal
    )
    serializer = TypeSerializer()
    for item in items:
        client.put_item(
            TableName=SEED_002_TABLE,
            Item={name: serializer.serialize(value) for name, value in item.items()},
        )
    return aws, str(items[0]["key"])


def moto_scan(aws: dict[str, str]) -> HotPath:
    """moto's Scan of the shared table, as seed 002's boto3 sends it on each GET /."""
    get_item = moto_get_item("seed 002", aws, SEED_002_TABLE, {})
    return replace(
        get_item,
        label="moto Scan (seed 002's backend)",
        headers={**get_item.headers, "X-Amz-Target": "DynamoDB_20120810.Scan"},
        body=json.dumps({"TableName": SEED_002_TABLE}),
    )


def versus_seed_002(stack: contextlib.ExitStack, folder: Path) -> list[Pairing | HotPath]:
    """three-tier (web calling an api of its own on the helper CPUs) and seed 002, one table."""
    aws, key = shared_table(stack, folder)
    api_env = {**OUR_IMAGE_ENV, **aws, "TABLE_ITEMS": SEED_002_TABLE}
    api = serve(stack, folder, "three-tier", "three_tier_api", api_env)
    api_of_web = serve(stack, folder, "three-tier", "three_tier_api", api_env, under_test=False)
    web_env = {**OUR_IMAGE_ENV, "SERVICE_API_URL": api_of_web}
    web = serve(stack, folder, "three-tier", "three_tier_web", web_env)
    peer = seed_002(stack, folder, aws)
    status, _, body = request(f"{peer}/")
    if status != 200 or key.encode() not in body:  # it must really read the shared table
        raise BenchmarkError(f"seed 002's GET / answered {status}: {body[:200]!r}")
    return [
        moto_scan(aws),
        Pairing("three-tier web GET /", f"{web}/", "seed 002 GET /", f"{peer}/", VERSUS_FLASK),
        Pairing(
            "three-tier api GET /items/{key}",
            f"{api}/items/{key}",
            "seed 002 GET /",
            f"{peer}/",
            VERSUS_FLASK,
        ),
    ]


def versus_seed_003(stack: contextlib.ExitStack, folder: Path) -> list[Pairing | HotPath]:
    """profile as its image runs it, and seed 003's Go app."""
    ours = serve(stack, folder, "profile", "profile_api", OUR_IMAGE_ENV)
    peer = seed_003(stack, folder)
    return [Pairing("profile GET /", f"{ours}/", "seed 003 GET / (Go)", f"{peer}/", VERSUS_GO)]


PEER_SETUPS: dict[str, Callable[[contextlib.ExitStack, Path], list[Pairing | HotPath]]] = {
    "seed-002": versus_seed_002,
    "seed-003": versus_seed_003,
}


Run = tuple[Load, float]  # one load's figures, and the server's CPU ms per answered request


@dataclass(frozen=True)
class Side:
    """One side's figures over the rounds: the best load, the least CPU per request."""

    load: Load
    cpu_ms: float  # the server's CPU time per answered request, all its processes


def censored(load: Load, seconds: int) -> Load:
    """load, its p99 infinite if none or under 99% of requests were answered in time.

    wrk leaves answers slower than its timeout out of the latency figures (counted as errors).
    """
    answered = load.rps * seconds
    if not answered or load.errors > 0.01 * (answered + load.errors):
        return Load(load.rps, math.inf, load.errors)
    return load


def measure(url: str, options: Options, warmup: int, hot_path: HotPath | None = None) -> Run:
    """wrk after a warm-up, each followed by the server going idle; its CPU ms per request."""
    port = urlsplit(url).port or 80
    as_sent = {"method": hot_path.method, "body": hot_path.body} if hot_path else {}
    headers = hot_path.headers if hot_path else {}
    if warmup:
        wrk(url, headers, warmup, options, **as_sent)
        wait_until_idle(port)
    session = listening_session(port)
    before = session_cpu_seconds(session)
    result = wrk(url, headers, options.seconds, options, **as_sent)
    cpu_seconds = session_cpu_seconds(session) - before
    wait_until_idle(port)  # what it still answers is not counted: it must not slow the next
    answered = result.rps * options.seconds
    cpu_ms = 1000 * cpu_seconds / answered if answered else math.inf
    return censored(result, options.seconds), cpu_ms


def side_by_side(pairing: Pairing, options: Options, warmup: int) -> tuple[Side, Side]:
    """Both sides loaded in turn, options.rounds times."""
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(options.rounds):
        ours.append(measure(pairing.ours_url, options, warmup))
        theirs.append(measure(pairing.theirs_url, options, warmup))
    return summary(ours), summary(theirs)


def summary(runs: list[Run]) -> Side:
    return Side(best([load for load, _ in runs]), min(cpu for _, cpu in runs))


def milliseconds(value: float) -> str:
    return f"{value:8.2f}" if math.isfinite(value) else f"{'>' + str(WRK_TIMEOUT_MS):>8}"


def cpu(cpu_ms: float) -> str:
    return f"{cpu_ms:.3f} ms" if math.isfinite(cpu_ms) else "n/a"


def per_core(cpu_ms: float) -> str:
    return f"{1000 / cpu_ms:,.0f}/s" if math.isfinite(cpu_ms) and cpu_ms else "n/a"


def report(pairing: Pairing, ours: Side, theirs: Side) -> str:
    """Two lines: ours, the peer, the ratio and the verdict; then CPU per request of each."""
    ratio = ours.load.rps / theirs.load.rps if theirs.load.rps else math.inf
    verdict = "met" if pairing.goal.met(ours.load, theirs.load) else "NOT met"
    if not theirs.load.rps:  # a longer load is needed to say anything
        verdict = "undecided, the peer answered nothing in time"
    errors = ours.load.errors or theirs.load.errors
    error_text = f"  (errors: ours {ours.load.errors}, peer {theirs.load.errors})" if errors else ""
    return (
        f"{pairing.ours:<32} {ours.load.rps:8.0f} {milliseconds(ours.load.p99_ms)}  "
        f"{pairing.theirs:<20} {theirs.load.rps:8.0f} {milliseconds(theirs.load.p99_ms)} "
        f"{ratio:7.2f}x  {pairing.goal.text}: {verdict}{error_text}\n"
        f"{'':<4}server CPU per request: ours {cpu(ours.cpu_ms)}, peer {cpu(theirs.cpu_ms)}; "
        f"what one core would allow: ours {per_core(ours.cpu_ms)}, "
        f"peer {per_core(theirs.cpu_ms)}"
    )


def backend_report(hot_path: HotPath, backend: Side) -> str:
    """Two lines: what a peer's answers wait for, loaded alone (no goal of its own)."""
    return (
        f"{hot_path.label:<32} {backend.load.rps:8.0f} {milliseconds(backend.load.p99_ms)}  "
        "one Scan per request would stop here\n"
        f"{'':<4}moto's CPU per Scan: {cpu(backend.cpu_ms)}"
    )


def run_peer(name: str, options: Options, warmup: int) -> None:
    """Start ours and the peer, print a row per pairing; a failure prints its logs' last lines."""
    folder = options.workdir / name
    folder.mkdir()
    try:
        with contextlib.ExitStack() as stack:
            for row in PEER_SETUPS[name](stack, folder):
                if isinstance(row, HotPath):
                    runs = [measure(row.url, options, warmup, row) for _ in range(options.rounds)]
                    print(backend_report(row, summary(runs)), flush=True)
                else:
                    print(report(row, *side_by_side(row, options, warmup)), flush=True)
    except Exception as error:  # one broken peer must not hide the other's figures
        print(f"{name}: failed: {error}", flush=True)
        for log in sorted(folder.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-5:]
            print("\n".join(f"    {log.name}: {line}" for line in tail), flush=True)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=5, help="load per side (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="alternate loads, best kept")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument(
        "--smoke", action="store_true", help="1 s per load, one round: checks that it runs"
    )
    parser.add_argument("--only", action="append", choices=sorted(PEER_SETUPS))
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    missing = [tool for tool in ("go", "wrk", "taskset") if shutil.which(tool) is None]
    helpers = os.sched_getaffinity(0) - {SERVER_CPU}
    if missing or not helpers or SERVER_CPU not in os.sched_getaffinity(0):
        sys.exit(f"needs go, wrk, taskset (missing: {', '.join(missing) or 'none'}) and 2 CPUs")
    # Everything started from here (wrk, moto, the api web calls) inherits the helper CPUs.
    os.sched_setaffinity(0, helpers)
    seconds, rounds, warmup = (
        (1, 1, 1) if arguments.smoke else (arguments.seconds, arguments.rounds, 2)
    )
    print(
        f"wrk -t1 -c{arguments.connections} -d{seconds}s, best of {rounds}, ours and the peer "
        f"in turn on CPU {SERVER_CPU}; wrk and dependencies on CPU "
        f"{','.join(map(str, sorted(helpers)))}"
    )
    print(
        f"{'ours':<32} {'rps':>8} {'p99_ms':>8}  {'peer':<20} {'rps':>8} {'p99_ms':>8} "
        f"{'ratio':>8}  goal"
    )
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as workdir:
        options = Options(seconds, arguments.connections, rounds, Path(workdir))
        for name in arguments.only or PEER_SETUPS:
            run_peer(name, options, warmup)


if __name__ == "__main__":
    main()

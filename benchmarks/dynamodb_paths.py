"""The DynamoDB-bound hot paths against Go doing the same call, both on a fast stand-in backend.

three-tier api's GET /items/{key} and shop-cart's GET /carts/{id} each answer one strongly
consistent GetItem. Against the moto server (~300 GetItem/s) benchmarks/examples.py measures
moto. Here both the example and benchmarks/go_dynamodb_reference (Go's net/http calling GetItem
through the AWS SDK for Go v2, answering the same bytes: checked before loading) call
benchmarks/dynamodb_standin, Go's net/http answering fixed, checksummed DynamoDB responses fast
enough not to be the limit. The service under test runs alone on CPU 0; wrk and the stand-in run
on the other CPUs. Two loads per path:
- one key: every request asks for the same item, as benchmarks/examples.py does. The examples
  share a read among the GETs of one key that arrived before it began (shared_reads.py), so
  here they make far fewer calls than requests; Go makes one call per request.
- N keys: each request asks for the next of --keys items in turn, so reads are rarely shared
  and the client's CPU per call decides (see benchmarks/dynamodb_clients.py).
Goal: >= 0.30 x Go's requests/s for both paths. Each side's CPU time per request (its whole
session, granian's workers included, read from /proc) is printed too, and Go's over the
example's: requests/s per core, the fairer ratio on a shared machine, where other work takes
turns on CPU 0 and moves requests/s far more than CPU per request. Rounds alternate example / Go,
best kept (other work only lowers rates and adds CPU). Prints figures and exits 0 whether or not
goals are met.
Needs go, wrk and taskset, and the AWS SDK for Go v2 (apt-get install
golang-github-aws-aws-sdk-go-v2-dev), built in GOPATH mode.

    uv run python benchmarks/dynamodb_paths.py [--seconds N] [--rounds N] [--keys N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from examples import (
    EXAMPLES,
    OWN_HEADERS,
    SERVER_CPU,
    WARMUP_SECONDS,
    BenchmarkError,
    Load,
    Options,
    best,
    request,
    start,
    wrk,
)
from shipway.emulators import free_port

HERE = Path(__file__).resolve().parent
STANDIN = HERE / "dynamodb_standin"
REFERENCE = HERE / "go_dynamodb_reference"
GO_SDK = Path("/usr/share/gocode")
GO_SDK_PACKAGE = "golang-github-aws-aws-sdk-go-v2-dev"
GOAL_RATIO = 0.30
AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105 - the stand-in checks no signature
    "AWS_DEFAULT_REGION": "us-east-1",
}
CART_TTL = 30 * 24 * 3600
# Per-answer headers the Go reference writes itself (the cart's ETag) or that vary.
GO_OWN_HEADERS = OWN_HEADERS | {"etag", "cache-control"}


@dataclass(frozen=True)
class Server:
    """A server under test: its URL and its session (the process and any workers it starts)."""

    url: str
    session: int


@dataclass(frozen=True)
class DynamoPath:
    """A hot path: its label, the example and Go serving it, and the keys it can ask for."""

    label: str
    example: Server
    go: Server
    prefix: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    """What one side did under load: wrk's figures and its CPU time per request."""

    load: Load
    cpu_us: float


def session_cpu_seconds(session: int) -> float:
    """User and system CPU time of the live processes of a session (granian's workers too)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # after "pid (comm)": state ppid pgrp session ...
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def sorted_attributes(value: Any) -> Any:
    """Maps with their names sorted: the order Go's encoding/json writes, so both sides agree."""
    if isinstance(value, dict):
        return {name: sorted_attributes(value[name]) for name in sorted(value)}
    if isinstance(value, list):
        return [sorted_attributes(element) for element in value]
    return value


def items_table(spread: int) -> tuple[dict[str, Any], list[str]]:
    """three-tier's data/items.json, plus ``spread`` copies of its first item under new keys."""
    serializer = TypeSerializer()
    items = json.loads(
        (EXAMPLES / "three-tier" / "data" / "items.json").read_text(), parse_float=Decimal
    )
    copies = [{**items[0], "key": f"bench-{number:05d}"} for number in range(spread)]
    stored = [
        sorted_attributes({name: serializer.serialize(value) for name, value in item.items()})
        for item in items + copies
    ]
    keys = [items[0]["key"]] + [copy["key"] for copy in copies]
    return {"keys": ["key"], "items": stored}, keys


def carts_table(spread: int) -> tuple[dict[str, Any], list[str]]:
    """1 + spread live carts of two lines each, as shop-cart stores them."""
    now = int(time.time())
    ids = [uuid.uuid4().hex for _ in range(1 + spread)]
    lines = {
        "mug-blue": {"M": {"quantity": {"N": "1"}, "unit_price_cents": {"N": "1299"}}},
        "tea-100g": {"M": {"quantity": {"N": "2"}, "unit_price_cents": {"N": "450"}}},
    }
    carts = [
        sorted_attributes(
            {
                "id": {"S": cart_id},
                "version": {"N": "3"},
                "lines": {"M": lines},
                "created_at": {"N": str(now - 60)},
                "updated_at": {"N": str(now)},
                "expires_at": {"N": str(now + CART_TTL)},
            }
        )
        for cart_id in ids
    ]
    return {"keys": ["id"], "items": carts}, ids


def go_build(source: Path, binary: Path, *, gopath_mode: bool = False) -> Path:
    """go build of source into binary (GOPATH mode against Debian's Go packages if asked)."""
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GO_SDK)} if gopath_mode else None
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=source, env=env, check=True)
    return binary


def fixed_headers(url: str) -> dict[str, str]:
    """The headers the example's answer carries that Go should copy (security headers)."""
    status, headers, body = request(url)
    if status != 200:
        raise BenchmarkError(f"{url} answered {status}: {body[:200]!r}")
    return {name: value for name, value in headers.items() if name.lower() not in GO_OWN_HEADERS}


def same_answers(path: DynamoPath) -> None:
    """Raise unless the example and Go answer the first key with the same status, body, ETag."""
    mine = request(path.example.url + path.prefix + path.keys[0])
    go = request(path.go.url + path.prefix + path.keys[0])
    if (mine[0], mine[2], mine[1].get("etag")) != (go[0], go[2], go[1].get("etag")):
        raise BenchmarkError(
            f"{path.label}: the example and Go differ:\n  {mine[0]} {mine[2]!r}\n"
            f"  {go[0]} {go[2]!r}"
        )


def load(server: Server, path: DynamoPath, spread: bool, options: Options) -> Figures:
    """A warm-up, then one measured wrk load: the first key only, or every key in turn."""
    url, paths = server.url + path.prefix + path.keys[0], ()
    if spread:
        url, paths = server.url + "/", tuple(path.prefix + key for key in path.keys[1:])
    wrk(url, {}, WARMUP_SECONDS, options, paths=paths)
    cpu = session_cpu_seconds(server.session)
    figures = wrk(url, {}, options.seconds, options, paths=paths)
    cpu = session_cpu_seconds(server.session) - cpu
    requests = figures.rps * options.seconds
    return Figures(figures, cpu / requests * 1e6 if requests else 0.0)


def compare(path: DynamoPath, spread: bool, options: Options) -> tuple[Figures, Figures]:
    """Best figures of the example and of Go, loaded alternately (least CPU per request)."""
    mine, go = [], []
    for _ in range(options.rounds):
        mine.append(load(path.example, path, spread, options))
        go.append(load(path.go, path, spread, options))
    return merged(mine), merged(go)


def merged(rounds: list[Figures]) -> Figures:
    """The best of each figure over rounds: other work only lowers rates and adds CPU."""
    cpu = [figures.cpu_us for figures in rounds if figures.cpu_us > 0]
    return Figures(best([figures.load for figures in rounds]), min(cpu, default=0.0))


def report(path: DynamoPath, shape: str, mine: Figures, go: Figures) -> str:
    """One line: path, load shape, rps, p99 and CPU per request of both, the ratios, verdict."""
    ratio = mine.load.rps / go.load.rps if go.load.rps else 0.0
    per_core = go.cpu_us / mine.cpu_us if mine.cpu_us else 0.0
    met = ratio >= GOAL_RATIO and not mine.load.errors
    errors = f"  ({mine.load.errors} errors)" if mine.load.errors else ""
    return (
        f"{path.label:<27} {shape:<5} {mine.load.rps:7.0f} {mine.load.p99_ms:7.1f} "
        f"{mine.cpu_us:6.0f} {go.load.rps:7.0f} {go.load.p99_ms:7.1f} {go.cpu_us:6.0f} "
        f"{ratio:6.2f} {per_core:6.2f}  {'goal met' if met else 'NOT met'}"
        f"{' (per core: met)' if per_core >= GOAL_RATIO else ' (per core: NOT met)'}{errors}"
    )


def services(stack: contextlib.ExitStack, workdir: Path, spread: int) -> list[DynamoPath]:
    """The stand-in, both examples and the Go reference, all started; the two hot paths."""
    items, item_keys = items_table(spread)
    carts, cart_ids = carts_table(spread)
    standin_port = free_port()
    config = workdir / "standin.json"
    config.write_text(
        json.dumps({"port": standin_port, "tables": {"items": items, "carts": carts}})
    )
    binary = go_build(STANDIN, workdir / "dynamodb_standin")
    start(stack, [str(binary), str(config)], workdir / "standin.log", standin_port)
    aws = {**AWS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{standin_port}"}
    api = example(stack, workdir, "three-tier", "three_tier_api", {**aws, "TABLE_ITEMS": "items"})
    cart = example(stack, workdir, "shop-cart", "shop_cart", {**aws, "TABLE_CARTS": "carts"})
    reference = {
        "port": free_port(),
        "endpoint": aws["AWS_ENDPOINT_URL"],
        "table_items": "items",
        "table_carts": "carts",
        "headers": fixed_headers(f"{cart.url}/carts/{cart_ids[0]}"),
    }
    (workdir / "reference.json").write_text(json.dumps(reference))
    binary = go_build(REFERENCE, workdir / "go_dynamodb_reference", gopath_mode=True)
    pinned = ["taskset", "-c", str(SERVER_CPU), str(binary), str(workdir / "reference.json")]
    process = start(stack, pinned, workdir / "reference.log", reference["port"])
    go = Server(f"http://127.0.0.1:{reference['port']}", process.pid)
    return [
        DynamoPath("three-tier GET /items/{key}", api, go, "/items/", tuple(item_keys)),
        DynamoPath("shop-cart GET /carts/{id}", cart, go, "/carts/", tuple(cart_ids)),
    ]


def example(
    stack: contextlib.ExitStack, workdir: Path, name: str, package: str, env: dict[str, str]
) -> Server:
    """`python -m package` of an example on SERVER_CPU, as benchmarks/examples.py serves it."""
    port = free_port()
    process = start(
        stack,
        ["taskset", "-c", str(SERVER_CPU), sys.executable, "-m", package],
        workdir / f"{package}.log",
        port,
        cwd=EXAMPLES / name,
        env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
    )
    return Server(f"http://127.0.0.1:{port}", process.pid)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="load per target (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternate loads, best kept")
    parser.add_argument("--keys", type=int, default=1000, help="keys of the N-keys load")
    return parser.parse_args()


def missing_tools() -> str:
    """What to install first, or "" when everything is there."""
    missing = [tool for tool in ("go", "wrk", "taskset") if shutil.which(tool) is None]
    if not (GO_SDK / "src/github.com/aws/aws-sdk-go-v2/service/dynamodb").is_dir():
        missing.append(GO_SDK_PACKAGE)
    return f"needs: apt-get install {' '.join(missing)}" if missing else ""


def main() -> None:
    arguments = parse_arguments()
    helpers = os.sched_getaffinity(0) - {SERVER_CPU}
    problem = missing_tools() or ("" if helpers else f"needs CPU {SERVER_CPU} and another CPU")
    if problem:
        print(problem)
        sys.exit(2)
    os.sched_setaffinity(0, helpers)  # wrk and the stand-in inherit the helper CPUs
    print(
        f"wrk -t1 -c{arguments.connections} -d{arguments.seconds}s, best of {arguments.rounds}; "
        f"server under test on CPU {SERVER_CPU}, wrk and the stand-in on CPU "
        f"{','.join(map(str, sorted(helpers)))}; goal >= {GOAL_RATIO:.2f} x Go"
    )
    print(
        f"{'path':<27} {'keys':<5} {'rps':>7} {'p99_ms':>7} {'cpu_us':>6} {'go_rps':>7} "
        f"{'go_p99':>7} {'go_cpu':>6} {'ratio':>6} {'p.core':>6}  goal (>= {GOAL_RATIO:.2f})"
    )
    print(
        "cpu_us: CPU time of the server per request; p.core: Go's CPU per request / the "
        "example's (requests/s per core, which other work on the machine hardly moves)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-dynamodb-") as workdir:
        options = Options(arguments.seconds, arguments.connections, arguments.rounds, Path(workdir))
        with contextlib.ExitStack() as stack:
            for path in services(stack, options.workdir, arguments.keys):
                same_answers(path)
                for spread, shape in ((False, "one"), (True, str(arguments.keys))):
                    print(report(path, shape, *compare(path, spread, options)), flush=True)


if __name__ == "__main__":
    main()

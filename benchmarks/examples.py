"""Requests/s and p99 of each example's hot path on one core, against Go serving the same bytes.

Goal: >= 0.30 x Go's requests/s on every hot path, and p99 <= 15 ms at 64 connections. The
server under test (the example's process, then benchmarks/go_baseline, Go's net/http answering
with the bytes captured from the example) runs alone on CPU 0; wrk, the moto server, Redis and
any tier the hot path calls run on the other CPUs. bootcamp-api logs in once before; the login
is not measured. Where a hot path reads DynamoDB, a last line loads moto's GetItem of the same
item on its own: what one read per request would allow. With --rounds N each side is loaded N
times, alternately, and its best figures are kept: on a shared machine other work only ever
lowers them. Needs go (apt-get install golang-go) and wrk (apt-get install wrk); prints figures
and exits 0 whether or not the goals are met.

    uv run python benchmarks/examples.py [--seconds N] [--connections 64] [--only name] [--rounds N]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import boto3
from boto3.dynamodb.types import TypeSerializer

from shipway.emulators import MotoServer, RedisServer, free_port, wait_for_port

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GO_BASELINE = Path(__file__).resolve().parent / "go_baseline"
GOAL_RATIO = 0.30
GOAL_P99_MS = 15.0
SERVER_CPU = 0
READY_TIMEOUT = 60.0
WARMUP_SECONDS = 2  # before each load: connection pools filled, caches built
SAMPLES = 50  # responses read before the load: Go serves their distinct bodies (the 8-ball's)
# Headers Go writes itself, or that differ per request; the others are copied to Go's response.
OWN_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "content-type",
        "date",
        "keep-alive",
        "server",
        "transfer-encoding",
        "x-request-id",
    }
)
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'REPORT {"requests": %d, "duration_us": %d, "p99_us": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""

# wrk's Lua: every request asks for the next of several paths (many keys instead of one).
ROTATE_PATHS = """\
paths = {{{paths}}}
turn = 0
request = function()
  turn = turn % #paths + 1
  return wrk.format(nil, paths[turn])
end
"""


class BenchmarkError(RuntimeError):
    """An example could not be started or answered unexpectedly."""


@dataclass(frozen=True)
class HotPath:
    """One request to load: the example, a label for the report, its URL and headers.

    A backend line (``versus_go=False``) loads what a hot path depends on (moto's GetItem) on
    its own: what one read per request would allow; printed without a Go comparison.
    """

    example: str
    label: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: str = ""
    versus_go: bool = True


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    rps: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Options:
    """How long and how hard to load each server."""

    seconds: int
    connections: int
    rounds: int
    workdir: Path


def request(
    url: str,
    method: str = "GET",
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP request on a fresh connection: status, headers, body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM; then SIGKILL to whatever is left of the session it leads (granian's workers)."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def start(
    stack: contextlib.ExitStack,
    argv: list[str],
    log: Path,
    port: int,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start a server whose output goes to log, in a session of its own (its id is the
    process's); stopped when the stack closes."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack.callback(stop, process)
    wait_for_port(port, timeout=READY_TIMEOUT, alive=lambda: process.poll() is None)
    return process


def serve(
    stack: contextlib.ExitStack,
    folder: Path,
    example: str,
    package: str,
    env: dict[str, str],
    *,
    under_test: bool = True,
) -> str:
    """Run `python -m package` of an example (on SERVER_CPU when under test); its base URL."""
    port = free_port()
    pin = ["taskset", "-c", str(SERVER_CPU)] if under_test else []
    start(
        stack,
        [*pin, sys.executable, "-m", package],
        folder / f"{package}-{port}.log",
        port,
        cwd=EXAMPLES / example,
        env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
    )
    return f"http://127.0.0.1:{port}"


def moto(stack: contextlib.ExitStack, folder: Path) -> dict[str, str]:
    """A moto server on the helper CPUs; the environment pointing boto3 at it."""
    return stack.enter_context(MotoServer(log_path=folder / "moto.log")).client_environment()


def dynamodb(aws: dict[str, str]) -> DynamoDBClient:
    return boto3.client(
        "dynamodb",
        endpoint_url=aws["AWS_ENDPOINT_URL"],
        region_name=aws["AWS_DEFAULT_REGION"],
        aws_access_key_id=aws["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=aws["AWS_SECRET_ACCESS_KEY"],
    )


def moto_get_item(example: str, aws: dict[str, str], table: str, key: dict[str, Any]) -> HotPath:
    """moto's GetItem of one item, as boto3 sends it (moto does not check the signature)."""
    credential = f"{aws['AWS_ACCESS_KEY_ID']}/20260101/{aws['AWS_DEFAULT_REGION']}/dynamodb"
    return HotPath(
        example,
        "moto GetItem (its backend)",
        aws["AWS_ENDPOINT_URL"] + "/",
        {
            "X-Amz-Target": "DynamoDB_20120810.GetItem",
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={credential}/aws4_request, "
            "SignedHeaders=host;x-amz-target, Signature=0",
        },
        method="POST",
        versus_go=False,
        body=json.dumps({"TableName": table, "Key": key, "ConsistentRead": True}),
    )


def create_table(client: DynamoDBClient, name: str, key: str) -> None:
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
    )


def bootcamp_api(stack: contextlib.ExitStack, folder: Path) -> list[HotPath]:
    """Users from data/usersdata.json; one login as admin for the token."""
    aws = moto(stack, folder)
    client = dynamodb(aws)
    create_table(client, "users", "username")
    for item in json.loads((EXAMPLES / "bootcamp-api" / "data" / "usersdata.json").read_text()):
        client.put_item(TableName="users", Item=item)
    url = serve(
        stack,
        folder,
        "bootcamp-api",
        "bootcamp_api",
        {**aws, "TABLE_USERS": "users", "JWT_KEY": secrets.token_urlsafe(48)},
    )
    credentials = urlencode({"username": "admin", "password": "secret"}).encode()
    status, _, body = request(
        f"{url}/login",
        "POST",
        body=credentials,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise BenchmarkError(f"login as admin answered {status}: {body[:200]!r}")
    token = json.loads(body)["data"]
    return [
        HotPath(
            "bootcamp-api",
            "GET /cidr-to-mask?value=24",
            f"{url}/cidr-to-mask?value=24",
            {"Authorization": f"Bearer {token}"},
        )
    ]


def magic8ball(stack: contextlib.ExitStack, folder: Path) -> list[HotPath]:
    redis = stack.enter_context(RedisServer(log_path=folder / "redis.log"))
    url = serve(stack, folder, "magic8ball", "magic8ball", {"REDIS_URL": redis.url})
    return [HotPath("magic8ball", "GET /?q=x", f"{url}/?q=x")]


def three_tier(stack: contextlib.ExitStack, folder: Path) -> list[HotPath]:
    """The items of data/items.json; web calls an api of its own, on the helper CPUs."""
    aws = moto(stack, folder)
    client = dynamodb(aws)
    create_table(client, "items", "key")
    items = json.loads(
        (EXAMPLES / "three-tier" / "data" / "items.json").read_text(), parse_float=Decimal
    )
    serializer = TypeSerializer()
    for item in items:
        client.put_item(
            TableName="items",
            Item={name: serializer.serialize(value) for name, value in item.items()},
        )
    api_env = {**aws, "TABLE_ITEMS": "items"}
    api = serve(stack, folder, "three-tier", "three_tier_api", api_env)
    api_of_web = serve(stack, folder, "three-tier", "three_tier_api", api_env, under_test=False)
    web = serve(stack, folder, "three-tier", "three_tier_web", {"SERVICE_API_URL": api_of_web})
    return [
        HotPath("three-tier", "web GET /", f"{web}/"),
        HotPath("three-tier", "api GET /items/{key}", f"{api}/items/{items[0]['key']}"),
        moto_get_item("three-tier", aws, "items", {"key": {"S": items[0]["key"]}}),
    ]


def profile(stack: contextlib.ExitStack, folder: Path) -> list[HotPath]:
    url = serve(stack, folder, "profile", "profile_api", {})
    return [HotPath("profile", "GET /", f"{url}/")]


def shop_cart(stack: contextlib.ExitStack, folder: Path) -> list[HotPath]:
    """A cart with two lines, made through the API."""
    aws = moto(stack, folder)
    create_table(dynamodb(aws), "carts", "id")
    url = serve(stack, folder, "shop-cart", "shop_cart", {**aws, "TABLE_CARTS": "carts"})
    status, _, body = request(f"{url}/carts", "POST")
    if status != 201:
        raise BenchmarkError(f"POST /carts answered {status}: {body[:200]!r}")
    cart_id = json.loads(body)["id"]
    cart = f"{url}/carts/{cart_id}"
    for sku, quantity, price in (("tea-100g", 2, 450), ("mug-blue", 1, 1299)):
        line = json.dumps({"quantity": quantity, "unit_price_cents": price}).encode()
        request(
            f"{cart}/items/{sku}", "PUT", body=line, headers={"Content-Type": "application/json"}
        )
    return [
        HotPath("shop-cart", "GET /carts/{id}", cart),
        moto_get_item("shop-cart", aws, "carts", {"id": {"S": cart_id}}),
    ]


SETUPS: dict[str, Callable[[contextlib.ExitStack, Path], list[HotPath]]] = {
    "bootcamp-api": bootcamp_api,
    "magic8ball": magic8ball,
    "three-tier": three_tier,
    "profile": profile,
    "shop-cart": shop_cart,
}


def wrk(
    url: str,
    headers: dict[str, str],
    seconds: int,
    options: Options,
    *,
    method: str = "GET",
    body: str = "",
    paths: tuple[str, ...] = (),
) -> Load:
    """Load url with wrk (one thread, on the helper CPUs) for seconds; with paths, each request
    asks for the next of them in turn instead of url's own path."""
    helpers = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))
    setup = f"wrk.method = {json.dumps(method)}\nwrk.body = {json.dumps(body)}\n"
    if paths:
        setup += ROTATE_PATHS.format(paths=", ".join(json.dumps(path) for path in paths))
    script = options.workdir / f"wrk-{hashlib.sha256(setup.encode()).hexdigest()[:12]}.lua"
    if not script.exists():  # one script per kind of request, written once
        script.write_text(setup + WRK_REPORT)
    header_options = [
        option for name, value in headers.items() for option in ("-H", f"{name}: {value}")
    ]
    result = subprocess.run(
        [
            "taskset",
            "-c",
            helpers,
            "wrk",
            "-t1",
            f"-c{options.connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            *header_options,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    report = json.loads(line.removeprefix("REPORT "))
    return Load(
        report["requests"] / (report["duration_us"] / 1e6),
        report["p99_us"] / 1000,
        report["errors"],
    )


def measured(
    url: str,
    headers: dict[str, str],
    options: Options,
    *,
    method: str = "GET",
    body: str = "",
    paths: tuple[str, ...] = (),
) -> Load:
    """wrk after a warm-up run."""
    wrk(url, headers, WARMUP_SECONDS, options, method=method, body=body, paths=paths)
    return wrk(url, headers, options.seconds, options, method=method, body=body, paths=paths)


def backend(hot_path: HotPath, options: Options) -> Load:
    """The best figures of a backend line, loaded alone."""
    return best(
        [
            measured(
                hot_path.url, hot_path.headers, options, method=hot_path.method, body=hot_path.body
            )
            for _ in range(options.rounds)
        ]
    )


def go_target(hot_path: HotPath, port: int) -> dict[str, Any]:
    """The hot path's response as go_baseline serves it: its distinct bodies and fixed headers."""
    bodies: list[bytes] = []
    for _ in range(SAMPLES):
        status, headers, body = request(hot_path.url, headers=hot_path.headers)
        if status != 200:
            raise BenchmarkError(f"{hot_path.label} answered {status}: {body[:200]!r}")
        if body not in bodies:
            bodies.append(body)
    fixed = {name: value for name, value in headers.items() if name.lower() not in OWN_HEADERS}
    return {
        "port": port,
        "content_type": headers["content-type"],
        "headers": fixed,
        "bodies": [base64.b64encode(body).decode() for body in bodies],
    }


def best(loads: list[Load]) -> Load:
    """The highest rate and the lowest p99 of several runs (interference only worsens them)."""
    return Load(
        max(load.rps for load in loads),
        min(load.p99_ms for load in loads),
        min(load.errors for load in loads),
    )


def compare(hot_path: HotPath, go_binary: Path, options: Options) -> tuple[Load, Load]:
    """The example's figures and those of Go's net/http on SERVER_CPU serving the same bytes."""
    target = go_target(hot_path, free_port())  # also checks that the hot path answers 200
    config = options.workdir / f"go-{target['port']}.json"
    config.write_text(json.dumps([target]))
    parts = urlsplit(hot_path.url)
    go_url = f"http://127.0.0.1:{target['port']}{parts.path}" + (
        f"?{parts.query}" if parts.query else ""
    )
    example_loads, go_loads = [], []
    with contextlib.ExitStack() as stack:
        start(
            stack,
            ["taskset", "-c", str(SERVER_CPU), str(go_binary), str(config)],
            options.workdir / "go.log",
            target["port"],
        )
        for _ in range(options.rounds):
            example_loads.append(measured(hot_path.url, hot_path.headers, options))
            go_loads.append(measured(go_url, hot_path.headers, options))
    return best(example_loads), best(go_loads)


def backend_report(hot_path: HotPath, load: Load) -> str:
    """One line: what the hot paths above depend on, loaded alone (no goal of its own)."""
    errors = f"  ({load.errors} errors)" if load.errors else ""
    return (
        f"{hot_path.example:<13} {hot_path.label:<27} {load.rps:8.0f} "
        f"{load.p99_ms:7.2f} {'-':>8} {'-':>6}  one read per request would stop here{errors}"
    )


def report(hot_path: HotPath, example: Load, go: Load) -> str:
    """One line: example, path, rps, p99, Go's rps, the ratio and the verdict."""
    ratio = example.rps / go.rps if go.rps else 0.0
    met = ratio >= GOAL_RATIO and example.p99_ms <= GOAL_P99_MS and not example.errors
    errors = f"  ({example.errors} errors)" if example.errors else ""
    return (
        f"{hot_path.example:<13} {hot_path.label:<27} {example.rps:8.0f} "
        f"{example.p99_ms:7.2f} {go.rps:8.0f} {ratio:6.2f}  "
        f"{'goal met' if met else 'NOT met'}{errors}"
    )


def run_example(name: str, go_binary: Path, options: Options) -> None:
    """Start an example, load each of its hot paths and Go's copy, print a line for each."""
    folder = options.workdir / name
    folder.mkdir()
    try:
        with contextlib.ExitStack() as stack:
            for hot_path in SETUPS[name](stack, folder):
                if not hot_path.versus_go:
                    print(backend_report(hot_path, backend(hot_path, options)), flush=True)
                    continue
                example, go = compare(hot_path, go_binary, options)
                print(report(hot_path, example, go), flush=True)
    except Exception as error:  # one broken example must not hide the others' figures
        print(f"{name:<13} failed: {error}", flush=True)
        for log in sorted(folder.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-5:]
            print("\n".join(f"    {log.name}: {line}" for line in tail), flush=True)


def build_go(folder: Path) -> Path:
    """go build of benchmarks/go_baseline into folder."""
    binary = folder / "go_baseline"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=GO_BASELINE, check=True)
    return binary


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="load per target (default 10)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument(
        "--only", action="append", choices=sorted(SETUPS), help="only this example (repeatable)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate loads per side, best kept (default 1)"
    )
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    missing = [tool for tool in ("go", "wrk", "taskset") if shutil.which(tool) is None]
    helpers = os.sched_getaffinity(0) - {SERVER_CPU}
    if missing or not helpers or SERVER_CPU not in os.sched_getaffinity(0):
        print(
            f"needs go, wrk and taskset (missing: {', '.join(missing) or 'none'}) and CPU "
            f"{SERVER_CPU} plus at least one other CPU"
        )
        sys.exit(2)
    # Everything started from here (wrk, moto, Redis, helper tiers) inherits the helper CPUs.
    os.sched_setaffinity(0, helpers)
    print(
        f"wrk -t1 -c{arguments.connections} -d{arguments.seconds}s, best of "
        f"{arguments.rounds}; server under test on CPU "
        f"{SERVER_CPU}, wrk and dependencies on CPU {','.join(map(str, sorted(helpers)))}; "
        f"goal >= {GOAL_RATIO:.2f} x Go and p99 <= {GOAL_P99_MS:g} ms"
    )
    print(f"{'example':<13} {'path':<27} {'rps':>8} {'p99_ms':>7} {'go_rps':>8} {'ratio':>6}  goal")
    with tempfile.TemporaryDirectory(prefix="bench-examples-") as workdir:
        options = Options(arguments.seconds, arguments.connections, arguments.rounds, Path(workdir))
        go_binary = build_go(options.workdir)
        for name in arguments.only or SETUPS:
            run_example(name, go_binary, options)


if __name__ == "__main__":
    main()

"""CPU per GetItem of each Python DynamoDB client, against the Go stand-in endpoint.

The lever of the DynamoDB-bound hot paths (benchmarks/dynamodb_paths.py) is what the client costs
the service's core per call. Each client makes the examples' call (one strongly consistent
GetItem of a three-tier item) against benchmarks/dynamodb_standin, which runs on another CPU;
this process runs on CPU 0, so its CPU time per call is the client's cost. Calls are made the way
a service would make them: sync clients from a pool of threads as Starlette's run_in_threadpool
does, async clients on one uvloop loop; --in-flight calls at a time. Each client is measured
--rounds times, alternately, and its lowest CPU per call is kept (other work only adds to it).

Self-contained (standard library plus the clients), so that clients whose pins clash with the
project's lock (aiobotocore pins botocore to its own release) can be measured side by side:

    uv run --no-project --python 3.11 --with boto3 --with aiobotocore \
        --with 'aiodynamo[aiohttp,httpx]' --with uvloop python benchmarks/dynamodb_clients.py

A client that is not installed is reported as such: the project's environment has all but
aiobotocore (`uv run python benchmarks/dynamodb_clients.py`), the command above all but
service_runtime's DynamoReads. Needs go (apt-get install golang-go).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

STANDIN = Path(__file__).resolve().parent / "dynamodb_standin"
CLIENT_CPU = 0
TABLE = "items"
KEY = {"key": {"S": "apollo-11"}}
ITEM = {
    "crew": {"L": [{"S": "Armstrong"}, {"S": "Aldrin"}, {"S": "Collins"}]},
    "key": {"S": "apollo-11"},
    "kind": {"S": "mission"},
    "launched": {"N": "1969"},
    "value": {"S": "Eagle has landed"},
}
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_standin(workdir: Path, helpers: set[int]) -> tuple[subprocess.Popen[bytes], str]:
    """Build and start the stand-in on the helper CPUs; its URL once it listens."""
    binary = workdir / "dynamodb_standin"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=STANDIN, check=True)
    port = free_port()
    config = workdir / "standin.json"
    config.write_text(
        json.dumps({"port": port, "tables": {TABLE: {"keys": ["key"], "items": [ITEM]}}})
    )
    cpus = ",".join(map(str, sorted(helpers)))
    process = subprocess.Popen(["taskset", "-c", cpus, str(binary), str(config)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}"
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the stand-in did not start")


class Client:
    """One way of making the call; ``call`` is a coroutine function making one GetItem."""

    name = ""
    needs: tuple[str, ...] = ()  # modules it imports: missing ones mean "not installed"
    threaded = False  # a blocking client, called through a thread pool (run_in_threadpool)

    async def open(self, url: str) -> Callable[[], Any]:
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections and sessions."""


class Boto3(Client):
    """boto3.client("dynamodb") with boto3's defaults, or with ``config``."""

    needs = ("boto3",)
    threaded = True

    def __init__(self, name: str, **config: Any) -> None:
        self.name, self.config = name, config

    async def open(self, url: str) -> Callable[[], Any]:
        import boto3
        from botocore.config import Config

        config = Config(**self.config) if self.config else None
        client = boto3.client(
            "dynamodb", endpoint_url=url, region_name=REGION, config=config, **CREDENTIALS
        )
        return lambda: client.get_item(TableName=TABLE, Key=KEY, ConsistentRead=True)


class Aiobotocore(Client):
    """aiobotocore's client, reused, with the tuned botocore's configuration."""

    name = "aiobotocore (tuned config)"
    needs = ("aiobotocore",)

    def __init__(self, **config: Any) -> None:
        self.config = config

    async def open(self, url: str) -> Callable[[], Awaitable[Any]]:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session

        self.context = get_session().create_client(
            "dynamodb",
            endpoint_url=url,
            region_name=REGION,
            config=AioConfig(**self.config),
            **CREDENTIALS,
        )
        client = await self.context.__aenter__()
        return lambda: client.get_item(TableName=TABLE, Key=KEY, ConsistentRead=True)

    async def close(self) -> None:
        await self.context.__aexit__(None, None, None)


class Aiodynamo(Client):
    """aiodynamo over aiohttp or httpx (returns plain Python values, not attribute values)."""

    def __init__(self, transport: str) -> None:
        self.transport = transport
        self.name = f"aiodynamo ({transport})"
        self.needs = ("aiodynamo", transport)

    async def open(self, url: str) -> Callable[[], Awaitable[Any]]:
        from aiodynamo.client import Client as DynamoClient
        from aiodynamo.credentials import Key, StaticCredentials
        from yarl import URL

        http, self.session = await self._http()
        key = Key(CREDENTIALS["aws_access_key_id"], CREDENTIALS["aws_secret_access_key"])
        client = DynamoClient(http, StaticCredentials(key), REGION, endpoint=URL(url))
        return lambda: client.get_item(TABLE, {"key": "apollo-11"}, consistent_read=True)

    async def _http(self) -> tuple[Any, Any]:
        if self.transport == "httpx":
            import httpx
            from aiodynamo.http.httpx import HTTPX

            limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
            session = httpx.AsyncClient(limits=limits)
            return HTTPX(session), session
        import aiohttp
        from aiodynamo.http.aiohttp import AIOHTTP

        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        return AIOHTTP(session), session

    async def close(self) -> None:
        if self.transport == "httpx":
            await self.session.aclose()
        else:
            await self.session.close()


class RuntimeReads(Client):
    """service_runtime's DynamoReads (the examples'): aiodynamo, aiohttp, the CRC32 check."""

    name = "service_runtime DynamoReads"
    needs = ("service_runtime", "aiodynamo", "aiohttp")

    async def open(self, url: str) -> Callable[[], Awaitable[Any]]:
        from aiodynamo.credentials import Key, StaticCredentials
        from service_runtime.dynamodb_reads import DynamoReads

        key = Key(CREDENTIALS["aws_access_key_id"], CREDENTIALS["aws_secret_access_key"])
        self.reads = DynamoReads(
            region=REGION, endpoint_url=url, credentials=StaticCredentials(key)
        )
        return lambda: self.reads.get_item(TABLE, KEY)

    async def close(self) -> None:
        await self.reads.close()


# What the examples used before, then the knobs botocore offers, then the async clients.
EXAMPLES_CONFIG = {
    "connect_timeout": 2.0,
    "read_timeout": 5.0,
    "max_pool_connections": 64,
    "retries": {"mode": "standard", "max_attempts": 3},
}
TUNED = {**EXAMPLES_CONFIG, "parameter_validation": False, "tcp_keepalive": True}
CLIENTS: list[Client] = [
    Boto3("boto3 (defaults)"),
    Boto3("boto3 (examples' client_config)", **EXAMPLES_CONFIG),
    Boto3("botocore tuned (no param. validation)", **TUNED),
    Aiobotocore(**TUNED),
    Aiodynamo("aiohttp"),
    Aiodynamo("httpx"),
    RuntimeReads(),
]


def installed(client: Client) -> bool:
    return all(importlib.util.find_spec(module) is not None for module in client.needs)


async def measure(client: Client, url: str, calls: int, in_flight: int) -> tuple[float, float]:
    """CPU µs of this process per call and calls/s, ``in_flight`` calls at a time."""
    call = await client.open(url)
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(in_flight) if client.threaded else None

    async def calls_in_turn(count: int) -> None:
        for _ in range(count):
            await (loop.run_in_executor(pool, call) if pool else call())

    try:
        answer = await (loop.run_in_executor(pool, call) if pool else call())
        if not answer:
            raise RuntimeError(f"{client.name}: GetItem found no item")
        await asyncio.gather(*(calls_in_turn(20) for _ in range(in_flight)))  # warm the pool
        each = calls // in_flight
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(calls_in_turn(each) for _ in range(in_flight)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        await client.close()
        if pool:
            pool.shutdown()
    return cpu / (each * in_flight) * 1e6, each * in_flight / wall


def run(coroutine: Awaitable[Any]) -> Any:
    """On uvloop when it is installed, as the examples serve."""
    if importlib.util.find_spec("uvloop"):
        import uvloop

        return uvloop.run(coroutine)  # type: ignore[arg-type]
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=3000, help="GetItems per client and round")
    parser.add_argument("--in-flight", type=int, default=16, help="calls at a time (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, lowest CPU kept")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    helpers = os.sched_getaffinity(0) - {CLIENT_CPU}
    if not helpers or CLIENT_CPU not in os.sched_getaffinity(0):
        print(f"needs CPU {CLIENT_CPU} and one other CPU")
        sys.exit(2)
    present = [client for client in CLIENTS if installed(client)]
    with tempfile.TemporaryDirectory(prefix="bench-dynamodb-clients-") as workdir:
        standin, url = start_standin(Path(workdir), helpers)
        os.sched_setaffinity(0, {CLIENT_CPU})
        try:
            figures: dict[str, list[tuple[float, float]]] = {client.name: [] for client in present}
            for _ in range(arguments.rounds):
                for client in present:
                    figures[client.name].append(
                        run(measure(client, url, arguments.calls, arguments.in_flight))
                    )
        finally:
            standin.kill()
            standin.wait()
    report(figures, [client for client in CLIENTS if client not in present], arguments)


def report(
    figures: dict[str, list[tuple[float, float]]], missing: list[Client], arguments: Any
) -> None:
    print(
        f"GetItem (ConsistentRead) against the Go stand-in; client on CPU {CLIENT_CPU}, "
        f"{arguments.in_flight} in flight, {arguments.calls} calls, best of {arguments.rounds}"
    )
    print(f"{'client':<40} {'cpu_us/call':>11} {'range':>13} {'calls/s':>8} {'vs boto3':>8}")
    reference = min(cpu for cpu, _ in next(iter(figures.values()), [(0.0, 0.0)]))
    for name, runs in figures.items():
        cpus = [cpu for cpu, _ in runs]
        rate = max(rate for _, rate in runs)
        span = f"{min(cpus):.0f}-{max(cpus):.0f}"
        print(
            f"{name:<40} {min(cpus):11.0f} {span:>13} {rate:8.0f} "
            f"{reference / min(cpus) if min(cpus) else 0:7.2f}x"
        )
    for client in missing:
        print(f"{client.name:<40} not installed (needs {', '.join(client.needs)})")


if __name__ == "__main__":
    main()

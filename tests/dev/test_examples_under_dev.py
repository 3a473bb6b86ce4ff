"""Every example starts under `shipway dev`, serves its contract, and stops cleanly."""

from __future__ import annotations

import json
import shutil
import socket
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dev.running import DevRun

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Check = Callable[[dict[str, str]], None]


def call(
    method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def bootcamp(urls: dict[str, str]) -> None:
    form = urllib.parse.urlencode({"username": "admin", "password": "secret"}).encode()
    status, body = call("POST", f"{urls['api']}/login", data=form)
    assert status == 200, body  # the seed went through the loader into the table
    token = json.loads(body)["data"]
    status, body = call(
        "GET", f"{urls['api']}/cidr-to-mask?value=24", headers={"Authorization": f"Bearer {token}"}
    )
    assert json.loads(body)["output"] == "255.255.255.0"
    assert call("POST", f"{urls['api']}/login", data=form.replace(b"secret", b"wrong"))[0] == 401


def magic8ball(urls: dict[str, str]) -> None:
    status, body = call("GET", f"{urls['magic8ball']}/?q=will+it+ship")
    assert status == 200 and body.startswith(b"Magic 8-ball says: ")
    assert call("GET", f"{urls['magic8ball']}/ready")[0] == 200  # Redis answers


def three_tier(urls: dict[str, str]) -> None:
    status, body = call("GET", f"{urls['web']}/")
    assert status == 200
    assert b"<title>three-tier-dev-items</title>" in body
    assert b"20 items" in body  # data/items.json, loaded through the loader at start


def profile(urls: dict[str, str]) -> None:
    status, body = call("GET", f"{urls['profile']}/")
    assert status == 200
    assert json.loads(body) == {"Name": "Alberto Eduardo", "Hobbies": ["AWS", "Kubernetes"]}


def shop_cart(urls: dict[str, str]) -> None:
    status, body = call("POST", f"{urls['cart']}/carts")
    assert status == 201
    cart = json.loads(body)["id"]
    item = json.dumps({"quantity": 2, "unit_price_cents": 150}).encode()
    status, body = call(
        "PUT",
        f"{urls['cart']}/carts/{cart}/items/sku-1",
        data=item,
        headers={"Content-Type": "application/json"},
    )
    assert status == 200 and json.loads(body)["total_cents"] == 300


CHECKS: dict[str, Check] = {
    "bootcamp-api": bootcamp,
    "magic8ball": magic8ball,
    "three-tier": three_tier,
    "profile": profile,
    "shop-cart": shop_cart,
}


def listening_addresses(port: int) -> set[str]:
    """The addresses something listens on at this TCP port, read from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(socket.inet_ntop(
                    socket.AF_INET if len(address) == 8 else socket.AF_INET6,
                    b"".join(bytes.fromhex(address[i:i + 8])[::-1]
                             for i in range(0, len(address), 8))))
    return found


@pytest.fixture
def example_copy(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(
            EXAMPLES / name,
            target,
            ignore=shutil.ignore_patterns(".shipway", "__pycache__", "tests"),
        )
        return target / "shipway.yml"

    yield copy


@pytest.mark.parametrize("name", list(CHECKS))
def test_example_serves_its_contract_under_shipway_dev(name: str, example_copy: Any) -> None:
    run = DevRun(example_copy(name))
    try:
        session = run.wait_ready(timeout=60)
        urls = {
            service: entry["url"] for service, entry in session["services"].items() if entry["url"]
        }
        CHECKS[name](urls)
        for entry in session["services"].values():  # HOST=127.0.0.1: not reachable from the LAN
            if entry["port"] is not None:  # a worker listens nowhere
                assert listening_addresses(entry["port"]) == {"127.0.0.1"}
        assert run.stop() == 0, run.output
        assert not run.dev_json.exists()
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()

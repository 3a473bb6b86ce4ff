"""CIDR prefix <-> netmask: exhaustive over the valid space, strict about everything else."""

from __future__ import annotations

import ipaddress
import random
from typing import TYPE_CHECKING

import pytest
from bootcamp_api.app import create_app
from bootcamp_api.netmask import INVALID, cidr_to_mask, mask_to_cidr

from .conftest import running, token_for

if TYPE_CHECKING:
    import httpx
    from bootcamp_api.settings import Settings

pytestmark = pytest.mark.anyio

PREFIXES = range(1, 33)


def expected_mask(prefix: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)


def is_contiguous(mask: int) -> bool:
    bits = f"{mask:032b}"
    return mask != 0 and "01" not in bits


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_prefix_converts_both_ways(prefix: int) -> None:
    mask = cidr_to_mask(str(prefix))

    assert mask == expected_mask(prefix)
    assert mask_to_cidr(mask) == str(prefix)


def test_known_values() -> None:
    assert cidr_to_mask("1") == "128.0.0.0"
    assert cidr_to_mask("8") == "255.0.0.0"
    assert cidr_to_mask("24") == "255.255.255.0"
    assert cidr_to_mask("32") == "255.255.255.255"
    assert mask_to_cidr("255.255.255.252") == "30"
    assert mask_to_cidr("255.255.240.0") == "20"


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "33",
        "-1",
        "100",
        "256",
        "08",
        "+8",
        " 8",
        "8 ",
        "8\n",
        "8.0",
        "1e1",
        "0x8",
        "eight",
        "",
        "٣",
        "２",
        "3 2",
        "24/",
        "/24",
        "9" * 400,
    ],
)
def test_cidr_to_mask_rejects_everything_outside_1_to_32(value: str) -> None:
    assert cidr_to_mask(value) == INVALID


@pytest.mark.parametrize(
    "value",
    [
        "0.0.0.0",
        "255.0.255.0",
        "255.255.255.253",
        "127.0.0.0",
        "0.255.255.255",
        "254.255.0.0",
        "255.255.255",
        "255.255.255.0.0",
        "256.0.0.0",
        "255.256.0.0",
        "01.0.0.0",
        "255.0.0.00",
        "255.000.0.0",
        " 255.0.0.0",
        "255.0.0.0 ",
        "255.0.0.0\n",
        "255. 0.0.0",
        "255..0.0",
        "255.0.0.",
        ".255.0.0",
        "255,0,0,0",
        "0xff.0.0.0",
        "-255.0.0.0",
        "+255.0.0.0",
        "",
        "255.0.0.0/8",
        "ffff:ffff::",
        "٢٥٥.0.0.0",
        "4294967040",
        "255.255.255.0\x00",
    ],
)
def test_mask_to_cidr_rejects_malformed_and_non_contiguous_masks(value: str) -> None:
    assert mask_to_cidr(value) == INVALID


def test_every_single_octet_pattern_is_judged_by_contiguity() -> None:
    for position in range(4):
        for byte in range(256):
            octets = ["255"] * position + [str(byte)] + ["0"] * (3 - position)
            mask = int(ipaddress.IPv4Address(".".join(octets)))
            expected = (
                str(32 - (~mask & 0xFFFFFFFF).bit_length()) if is_contiguous(mask) else INVALID
            )
            assert mask_to_cidr(".".join(octets)) == expected, octets


def test_random_addresses_are_valid_only_when_contiguous() -> None:
    rng = random.Random(2024)
    for _ in range(20_000):
        mask = rng.getrandbits(32)
        text = str(ipaddress.IPv4Address(mask))
        assert (mask_to_cidr(text) != INVALID) == is_contiguous(mask), text


async def test_cidr_to_mask_over_http(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await token_for(client)}"}

    responses = [
        await client.get("/cidr-to-mask", params={"value": value}, headers=headers)
        for value in ("24", "0", "abc", "")
    ]

    assert [r.json() for r in responses] == [
        {"function": "cidrToMask", "input": "24", "output": "255.255.255.0"},
        {"function": "cidrToMask", "input": "0", "output": "Invalid"},
        {"function": "cidrToMask", "input": "abc", "output": "Invalid"},
        {"function": "cidrToMask", "input": "", "output": "Invalid"},
    ]
    assert all(r.status_code == 200 for r in responses)


async def test_mask_to_cidr_over_http(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await token_for(client)}"}

    good = await client.get("/mask-to-cidr", params={"value": "255.255.0.0"}, headers=headers)
    bad = await client.get("/mask-to-cidr", params={"value": "255.0.255.0"}, headers=headers)

    assert good.json() == {"function": "maskToCidr", "input": "255.255.0.0", "output": "16"}
    assert bad.json() == {"function": "maskToCidr", "input": "255.0.255.0", "output": "Invalid"}


@pytest.mark.parametrize("path", ["/cidr-to-mask", "/mask-to-cidr", "/mask-to-cidr?val=8"])
async def test_a_missing_value_is_400(client: httpx.AsyncClient, path: str) -> None:
    headers = {"Authorization": f"Bearer {await token_for(client)}"}

    response = await client.get(path, headers=headers)

    assert response.status_code == 400
    assert response.json() == {"error": "missing query parameter: value"}


async def test_authentication_comes_before_validation(client: httpx.AsyncClient) -> None:
    response = await client.get("/cidr-to-mask")

    assert response.status_code == 401


@pytest.mark.parametrize("case", ["valid", "no token", "no value", "bad token"])
async def test_fast_path_and_router_answer_byte_for_byte_alike(
    settings: Settings, case: str
) -> None:
    async with (
        running(create_app(settings)) as fast,
        running(create_app(settings, fast_path=False)) as routed,
    ):
        token = "not-a-jwt" if case == "bad token" else await token_for(fast)
        headers = {"X-Request-Id": "same-id"}
        if case != "no token":
            headers["Authorization"] = f"Bearer {token}"
        params = {} if case == "no value" else {"value": "24"}
        fast_answer, routed_answer = [
            await client.get("/cidr-to-mask", params=params, headers=headers)
            for client in (fast, routed)
        ]

    assert fast_answer.status_code == {"valid": 200, "no value": 400}.get(case, 401)
    assert (fast_answer.status_code, fast_answer.headers.raw, fast_answer.content) == (
        routed_answer.status_code,
        routed_answer.headers.raw,
        routed_answer.content,
    )

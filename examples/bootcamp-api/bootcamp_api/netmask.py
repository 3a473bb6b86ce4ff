"""CIDR prefix lengths and IPv4 netmasks, converted strictly: anything odd is "Invalid".

Accepted prefixes are 1 to 32 written in canonical decimal ("8", not "08", "+8" or " 8").
Accepted masks are canonical dotted quads (four decimal octets 0-255, no leading zeros, no
spaces) whose bits are contiguous ones then zeros, from 128.0.0.0 to 255.255.255.255; 0.0.0.0
(prefix 0) is outside the contract, as prefix 0 is.
"""

from __future__ import annotations

import re

INVALID = "Invalid"

_PREFIX = re.compile(r"[1-9][0-9]?", re.ASCII)
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}", re.ASCII)
_ALL_ONES = 0xFFFFFFFF


def cidr_to_mask(value: str) -> str:
    """'24' -> '255.255.255.0'; INVALID unless value is a prefix length from 1 to 32."""
    if not _PREFIX.fullmatch(value) or int(value) > 32:
        return INVALID
    mask = (_ALL_ONES << (32 - int(value))) & _ALL_ONES
    return ".".join(str((mask >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def mask_to_cidr(value: str) -> str:
    """'255.255.255.0' -> '24'; INVALID unless value is a contiguous mask of 1 to 32 bits."""
    match = _DOTTED_QUAD.fullmatch(value)
    if match is None:
        return INVALID
    mask = 0
    for octet in match.groups():
        mask = (mask << 8) | int(octet)
    host_bits = ~mask & _ALL_ONES
    # Contiguous means the host part is 2**k - 1; a zero mask has no network bits at all.
    if mask == 0 or host_bits & (host_bits + 1):
        return INVALID
    return str(32 - host_bits.bit_length())

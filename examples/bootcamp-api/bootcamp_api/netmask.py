"""CIDR prefix lengths and IPv4 netmasks, converted strictly: anything odd is "Invalid".

Accepted prefixes are 1 to 32 written in canonical decimal ("8", not "08", "+8" or " 8").
Accepted masks are canonical dotted quads (four decimal octets, no leading zeros, no spaces)
whose bits are contiguous ones then zeros, from 128.0.0.0 to 255.255.255.255; 0.0.0.0
(prefix 0) is outside the contract, as prefix 0 is.

Both directions are lookups in the table of the 32 valid pairs: a value is valid exactly when
it is spelled as the table spells it, which enforces every rule above at once.
"""

from __future__ import annotations

INVALID = "Invalid"


def _dotted(mask: int) -> str:
    return ".".join(str((mask >> shift) & 0xFF) for shift in (24, 16, 8, 0))


_MASK_OF_PREFIX = {
    str(prefix): _dotted((0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF) for prefix in range(1, 33)
}
_PREFIX_OF_MASK = {mask: prefix for prefix, mask in _MASK_OF_PREFIX.items()}


def cidr_to_mask(value: str) -> str:
    """'24' -> '255.255.255.0'; INVALID unless value is a prefix length from 1 to 32."""
    return _MASK_OF_PREFIX.get(value, INVALID)


def mask_to_cidr(value: str) -> str:
    """'255.255.255.0' -> '24'; INVALID unless value is a contiguous mask of 1 to 32 bits."""
    return _PREFIX_OF_MASK.get(value, INVALID)

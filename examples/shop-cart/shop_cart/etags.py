"""ETags of carts and the If-Match / If-None-Match comparisons of RFC 9110."""

from __future__ import annotations

import re

_ENTITY_TAG = re.compile(r'\s*(\*|(W/)?"([^"]*)")\s*(?:,|$)')


class MalformedPreconditionError(ValueError):
    """An If-Match or If-None-Match header that holds no entity tag."""


def _tags(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque tag) pairs of a header; ``*`` is (False, "*")."""
    tags, position = [], 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None:
            raise MalformedPreconditionError(
                'expected quoted entity tags such as "3" (the ETag header), or *'
            )
        tags.append((False, "*") if match[1] == "*" else (bool(match[2]), match[3]))
        position = match.end()
    if not tags:
        raise MalformedPreconditionError('expected an entity tag such as "3", or *')
    return tags


def if_match_allows(header: str | None, etag: str) -> bool:
    """True when there is no If-Match, or it holds ``*`` or ``etag`` (strong comparison)."""
    if header is None:
        return True
    return any(tag == "*" or (not weak and f'"{tag}"' == etag) for weak, tag in _tags(header))


def if_none_match_hits(header: str | None, etag: str) -> bool:
    """True when If-None-Match holds ``*`` or ``etag`` (weak comparison): answer 304."""
    if header is None:
        return False
    return any(tag == "*" or f'"{tag}"' == etag for _weak, tag in _tags(header))

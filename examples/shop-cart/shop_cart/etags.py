"""ETags of carts and the If-Match / If-None-Match comparisons of RFC 9110."""

from __future__ import annotations

import re

# RFC 9110: a comma-separated list of entity tags, or *; white space is spaces and tabs only.
_ENTITY_TAG = re.compile(r'[ \t]*(\*|(W/)?"([!#-~]*)")[ \t]*(?:,|$)')


def _tags(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque tag) pairs of a header; ``*`` is (False, "*"); none when malformed.

    A header that is not a list of entity tags names no version, so it matches nothing: If-Match
    then fails (412) and If-None-Match never hits (the full answer).
    """
    tags, position = [], 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None:
            return []
        tags.append((False, "*") if match[1] == "*" else (bool(match[2]), match[3]))
        position = match.end()
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

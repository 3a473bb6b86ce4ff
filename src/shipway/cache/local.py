"""A cache's local side for `shipway dev`: one Redis server, one database number per cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

# Redis servers have 16 databases by default; more caches than that share the last one.
DATABASES = 16


def cache_urls(caches: Iterable[str], host: str, port: int) -> dict[str, str]:
    """`redis://host:port/N` for each cache, N counting from 0 in the manifest's order."""
    return {
        name: f"redis://{host}:{port}/{min(number, DATABASES - 1)}"
        for number, name in enumerate(caches)
    }

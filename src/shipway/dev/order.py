"""The order services start in: a service starts after every service it uses is healthy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.dev.errors import DevConfigurationError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def start_waves(dependencies: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Group services into waves; each wave needs only services of earlier waves.

    ``dependencies`` maps each service to the services it uses; names that are not services
    are ignored. Raise DevConfigurationError naming a cycle if there is one.
    """
    pending = {
        name: {used for used in uses if used in dependencies and used != name}
        for name, uses in dependencies.items()
    }
    waves: list[list[str]] = []
    while pending:
        ready = sorted(name for name, uses in pending.items() if not uses)
        if not ready:
            raise DevConfigurationError(
                f"services use each other in a cycle ({' -> '.join(find_cycle(pending))}); "
                "shipway dev cannot tell which to start first: remove one of these 'uses'"
            )
        waves.append(ready)
        for name in ready:
            del pending[name]
        for uses in pending.values():
            uses.difference_update(ready)
    return waves


def find_cycle(pending: Mapping[str, set[str]]) -> list[str]:
    """One cycle among services that all still wait for another: [a, b, a]."""
    start = min(pending)
    path = [start]
    while True:
        following = min(pending[path[-1]])
        if following in path:
            return [*path[path.index(following) :], following]
        path.append(following)

"""Exponential backoff with a cap and jitter, for retrying Redis while it is away."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delay after the n-th consecutive failure: initial * 2**(n-1), capped, half of it jittered.

    Equal jitter keeps at least half the delay (no hammering) while replicas that failed
    together spread their retries apart.
    """

    initial: float
    maximum: float
    random: Callable[[], float] = random.random

    def delay(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures (failures >= 1)."""
        ceiling = min(self.maximum, self.initial * 2.0 ** min(failures - 1, 62))
        return ceiling / 2 + self.random() * ceiling / 2

"""Durations written the way people say them (`5m`, `1h`), for settings ECS counts in minutes."""

from __future__ import annotations

import re

DURATION = re.compile(r"^(?P<value>\d+)(?P<unit>[mh])$")
DEFAULT_BAKE_TIME = "10m"
# ECS accepts a bake time of 0 to 1440 minutes (a day).
LONGEST_BAKE_MINUTES = 1440


def bake_time_problem(text: str) -> str | None:
    """Why text is not a bake time, or None."""
    found = DURATION.match(text)
    if found is None:
        return f"{text!r} is not a duration: write minutes or hours, e.g. 5m, 30m or 1h"
    if bake_minutes(text) > LONGEST_BAKE_MINUTES:
        return f"{text!r} is longer than ECS allows: at most {LONGEST_BAKE_MINUTES}m (24h)"
    return None


def bake_minutes(text: str) -> int:
    """A duration from `bake_time_problem`-checked text, in minutes."""
    found = DURATION.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a duration")
    value = int(found["value"])
    return value * 60 if found["unit"] == "h" else value

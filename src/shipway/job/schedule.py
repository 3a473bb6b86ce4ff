"""When a job's schedule next fires, for `shipway dev --jobs` (the cloud asks EventBridge).

`rate(N unit)` fires every N units from the start; `cron(min hour day month weekday year)` is
EventBridge's six fields in UTC: numbers, names (JAN, SUN), `*`, `?`, lists, ranges and steps.
`L`, `W` and `#` are EventBridge-only: such a job runs locally with `shipway job run` instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

RATE = re.compile(r"^rate\((?P<value>\d+) (?P<unit>minute|hour|day)s?\)$")
CRON = re.compile(r"^cron\((?P<fields>.+)\)$")
UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# (lowest, highest, names) of minutes, hours, day of month, month, day of week (1 = SUN), year
FIELDS = (
    (0, 59, ()),
    (0, 23, ()),
    (1, 31, ()),
    (1, 12, MONTHS),
    (1, 7, DAYS),
    (1970, 2199, ()),
)
SEARCH_LIMIT = timedelta(days=366 * 5)


class UnsupportedScheduleError(ValueError):
    """A schedule EventBridge runs but `shipway dev` cannot compute."""


def next_run(expression: str, after: datetime) -> datetime:
    """The first time strictly after `after` (UTC) the schedule fires."""
    if rate := RATE.match(expression):
        return after + int(rate["value"]) * UNITS[rate["unit"]]
    cron = CRON.match(expression)
    if cron is None:
        raise UnsupportedScheduleError(f"{expression!r} is not a schedule")
    allowed = _allowed(cron["fields"].split())
    moment = after.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    while moment - after < SEARCH_LIMIT:
        weekday = (moment.weekday() + 1) % 7 + 1  # Python's Monday 0 -> EventBridge's 2
        values = (moment.minute, moment.hour, moment.day, moment.month, weekday, moment.year)
        if all(value in field for value, field in zip(values, allowed, strict=True)):
            return moment
        moment += timedelta(minutes=1)
    raise UnsupportedScheduleError(f"{expression!r} never fires in the next five years")


def _allowed(fields: list[str]) -> list[set[int]]:
    if len(fields) != len(FIELDS):
        raise UnsupportedScheduleError("a cron schedule has six fields")
    return [_values(text, *spec) for text, spec in zip(fields, FIELDS, strict=True)]


def _values(text: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    if re.search(r"[LW#]", re.sub("|".join(names) or "^$", "", text.upper())):
        raise UnsupportedScheduleError(f"'{text}': L, W and # run only in EventBridge")
    found: set[int] = set()
    for item in text.split(","):
        body, _, step = item.partition("/")
        if body in {"*", "?"}:
            first, last = low, high
        else:
            start, _, end = body.partition("-")
            first = _number(start, names, low)
            last = _number(end, names, low) if end else (high if step else first)
        found.update(range(first, last + 1, int(step) if step else 1))
    return found


def _number(text: str, names: tuple[str, ...], low: int) -> int:
    upper = text.upper()
    return names.index(upper) + low if upper in names else int(text)

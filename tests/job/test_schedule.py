"""Computing a schedule's next run for `shipway dev --jobs` (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shipway.job.schedule import UnsupportedScheduleError, next_run

NOW = datetime(2026, 12, 2, 4, 30, 15, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(1 minute)", datetime(2026, 12, 2, 4, 31, 15, tzinfo=UTC)),
        ("rate(2 hours)", datetime(2026, 12, 2, 6, 30, 15, tzinfo=UTC)),
        ("cron(* * * * ? *)", datetime(2026, 12, 2, 4, 31, tzinfo=UTC)),
        ("cron(0 3 * * ? *)", datetime(2026, 12, 3, 3, 0, tzinfo=UTC)),
        ("cron(0/15 * * * ? *)", datetime(2026, 12, 2, 4, 45, tzinfo=UTC)),
        ("cron(0 8 ? * MON-FRI *)", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        ("cron(0 8 ? * SUN *)", datetime(2026, 12, 6, 8, 0, tzinfo=UTC)),
        ("cron(30 4 1 JAN,JUL ? *)", datetime(2027, 1, 1, 4, 30, tzinfo=UTC)),
        ("cron(0 0 1 1 ? 2030)", datetime(2030, 1, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_next_run(expression: str, expected: datetime) -> None:
    assert next_run(expression, NOW) == expected


@pytest.mark.parametrize("expression", ["cron(0 8 L * ? *)", "cron(0 8 ? * 2#1 *)"])
def test_eventbridge_only_forms_are_refused_locally(expression: str) -> None:
    with pytest.raises(UnsupportedScheduleError, match="run only in EventBridge"):
        next_run(expression, NOW)

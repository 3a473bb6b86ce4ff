"""SLO alerting: time to page and to ticket per scenario, replayed through the burn-rate alarms
of examples/three-tier (prod, service web) as synthesized.

Per-minute request and bad-request series (10,000 requests a minute, 3 days of healthy
history) go through the alarms read from the template (shipway.testing.alarm_replay); the
workbook column is its detection time W x T / b. tests/observability/test_slo_replay.py holds
the same scenarios to these times.

    uv run python benchmarks/slo_replay.py
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from shipway.manifest import load_manifest
from shipway.synthesis import synthesize
from shipway.testing.alarm_replay import SeriesKey, read_alarms, replay

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "three-tier" / "shipway.yml"
SERVICE = "three-tier-prod-web"
RATE, HISTORY = 10_000, 3 * 1440
SCENARIOS = (  # name, burn rate (None: every request bad), minutes burning, minutes after
    ("full outage, 30 min", None, 30, 360),
    ("14.4x burn", 14.4, 120, 0),
    ("6x burn", 6.0, 420, 0),
    ("1x burn, 3 days", 1.0, 3 * 1440 + 60, 0),
    ("0.5x burn, 4 days", 0.5, 4 * 1440, 0),
)


def series(indicator: str, bad: list[float]) -> dict[SeriesKey, list[float | None]]:
    requests: list[float | None] = [float(RATE)] * len(bad)
    if indicator == "availability":
        return {
            ("RequestCount", "Sum"): requests,
            ("HTTPCode_Target_5XX_Count", "Sum"): [b or None for b in bad],
        }
    return {
        ("TargetResponseTime", "SampleCount"): requests,
        ("TargetResponseTime", "TC(:0.3)"): [RATE - b for b in bad],
    }


def workbook(rate: float) -> str:
    """The fastest pair's detection time W x T / b, in minutes."""
    times = [w * t / rate for w, t in ((60, 14.4), (360, 6.0)) if rate >= t]
    return (
        f"{math.ceil(min(times))} min (page)"
        if times
        else ("3 days (ticket)" if rate >= 1 else "never")
    )


def main() -> None:
    manifest = load_manifest(EXAMPLE)
    with tempfile.TemporaryDirectory() as out:
        result = synthesize(manifest, ["prod"], outdir=Path(out))
        template = json.loads(result.stack_of("prod").template.read_text(encoding="utf-8"))
    alarms = read_alarms(template)
    print(
        "| SLI (objective) | scenario | workbook | page after | ticket after | page reset after |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for indicator, budget in (("availability", 0.001), ("latency", 0.01)):
        chosen = alarms.named(f"{SERVICE}-slo-{indicator}-")
        for name, burn, minutes, after in SCENARIOS:
            rate = burn if burn is not None else 1 / budget
            bad = [0.0] * HISTORY + [min(RATE, rate * budget * RATE)] * minutes + [0.0] * after
            timeline = replay(chosen, series(indicator, bad))
            page = timeline.first_alarm(f"{SERVICE}-slo-{indicator}-page", HISTORY)
            ticket = timeline.first_alarm(f"{SERVICE}-slo-{indicator}-ticket", HISTORY)
            reset = (
                timeline.first_ok(f"{SERVICE}-slo-{indicator}-page", HISTORY + minutes)
                if page is not None and after
                else None
            )
            print(
                f"| {indicator} ({100 - budget * 100:g}%) | {name} | {workbook(rate)} | "
                f"{_after(page)} | {_after(ticket)} | "
                f"{'' if reset is None else f'{reset - HISTORY - minutes + 1} min'} |"
            )


def _after(minute: int | None) -> str:
    if minute is None:
        return "never"
    elapsed = minute - HISTORY + 1
    return f"{elapsed} min" if elapsed < 600 else f"{elapsed / 1440:.2f} days"


if __name__ == "__main__":
    main()

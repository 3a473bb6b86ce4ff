"""After start, keep asking each service's health check, as the load balancer would.

A service that turns unhealthy while `shipway dev` runs is reported once, with what it answered,
when it has failed `unhealthy_threshold` checks in a row (in the cloud its task would now be
replaced), and again once it has passed `healthy_threshold` checks in a row. The session keeps
running either way: the developer is probably debugging exactly that.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.dev.processes import HealthGate

if TYPE_CHECKING:
    from collections.abc import Callable

    from shipway.dev.logs import LogPrinter
    from shipway.dev.processes import ServiceProcess

FAILING_STYLE = "bold red"
PASSING_STYLE = "green"


@dataclass
class HealthState:
    """One service's run of results, whether it is reported as healthy, its next check."""

    gate: HealthGate
    due: float = 0.0
    healthy: bool = True  # it passed its gate before the watch began
    passes: int = 0
    failures: int = 0
    last_answer: str = ""

    def record(self, status: int | None) -> str | None:
        """Count one check; the message to print when the service changes state, else None."""
        if status is not None and self.gate.accepts(status):
            self.passes, self.failures = self.passes + 1, 0
            if not self.healthy and self.passes >= self.gate.healthy_threshold:
                self.healthy = True
                return f"health: passing again (GET {self.gate.path} → {status})"
            return None
        self.failures, self.passes = self.failures + 1, 0
        self.last_answer = f"answered {status}" if status is not None else "did not answer"
        if self.healthy and self.failures >= self.gate.unhealthy_threshold:
            self.healthy = False
            return (
                f"health: failing — GET {self.gate.path} {self.last_answer} on "
                f"{self.failures} checks in a row (healthy: {self.gate.healthy_codes}); "
                "in the cloud its task would be replaced"
            )
        return None


class HealthWatch:
    """A daemon thread checking every service at its own interval until `stopping` is set."""

    def __init__(
        self,
        services: list[tuple[ServiceProcess, HealthGate]],
        printer: LogPrinter,
        stopping: threading.Event,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.printer = printer
        self.stopping = stopping
        self.clock = clock
        now = clock()
        self._watched = [
            (service, HealthState(gate, due=now + gate.interval_seconds))
            for service, gate in services
        ]

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, daemon=True, name="health-watch")
        thread.start()
        return thread

    def check_due(self) -> float:
        """Check each service whose interval has passed; seconds until the next is due."""
        now = self.clock()
        for service, state in self._watched:
            if now < state.due:
                continue
            state.due = now + state.gate.interval_seconds
            message = state.record(service.health_status(state.gate.path))
            if message is not None and not self.stopping.is_set():
                style = PASSING_STYLE if state.healthy else FAILING_STYLE
                self.printer.line(service.name, message, style=style)
        next_due = min((state.due for _, state in self._watched), default=now + 3600.0)
        return max(0.0, next_due - self.clock())

    def _run(self) -> None:
        while not self.stopping.wait(self.check_due()):
            pass

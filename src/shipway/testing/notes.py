"""What a rehearsal measured (times, coverage), kept during a test run and printed at its end."""

from __future__ import annotations

import time
from typing import Self

REHEARSAL_NOTES: list[str] = []


def note(line: str) -> None:
    """Keep a line for the rehearsal summary at the end of the run."""
    REHEARSAL_NOTES.append(line)


class Stopwatch:
    """`with Stopwatch("what"):` notes how long the block took."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seconds = 0.0

    def __enter__(self) -> Self:
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.started
        note(f"{self.what}: {self.seconds:.1f} s")

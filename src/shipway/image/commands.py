"""Running an engine command while its output streams to the caller, line by line."""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections import deque
from collections.abc import Callable, Mapping

LineSink = Callable[[str], None]
LAST_LINES = 40
# Terminal escapes (colours: Docker's legacy builder paints a RUN step's stderr red) and other
# control characters: they garble an error message and a log file.
TERMINAL_CONTROLS = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")


def plain(line: str) -> str:
    """line without terminal escapes or control characters."""
    return TERMINAL_CONTROLS.sub("", line)


def ignore_line(line: str) -> None:
    """A sink for callers that do not show progress."""


def run_streaming(
    argv: list[str],
    *,
    on_line: LineSink = ignore_line,
    env: Mapping[str, str] | None = None,
    stdin_text: str | None = None,
) -> tuple[int, list[str]]:
    """Run argv, pass each output line to on_line; return the exit status and the last lines.

    ``stdin_text`` is written to the command's standard input (a password, for `login`), so it
    is never on the command line, where `ps` would show it to every user of the machine.
    """
    last: deque[str] = deque(maxlen=LAST_LINES)
    process = subprocess.Popen(  # noqa: S603 - argv built by the engine, no shell
        argv,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=dict(env) if env is not None else None,
        text=True,
        errors="replace",
    )
    if stdin_text is not None:
        assert process.stdin is not None
        # a command that exits without reading (e.g. refusing at once) closes the pipe first;
        # its exit status and output then say what went wrong
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(stdin_text)
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
    assert process.stdout is not None
    with process.stdout:
        for raw in process.stdout:
            line = plain(raw.rstrip("\n"))
            last.append(line)
            on_line(line)
    return process.wait(), list(last)

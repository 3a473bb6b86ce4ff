"""Each process's output, line by line, behind a coloured `name |` prefix."""

from __future__ import annotations

import os
import threading
from collections import deque
from typing import IO, TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from rich.console import Console

COLOURS = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "blue",
    "bright_red",
    "bright_cyan",
    "bright_magenta",
    "bright_green",
    "bright_yellow",
)
KEPT_LINES = 50
READ_BYTES = 65536  # a Linux pipe's default capacity


class LogPrinter:
    """Prints prefixed lines from many threads; names are padded to one width.

    A service's output is relayed in blocks: each `name | ` prefix is rendered by Rich once
    (colour codes included), then a block of lines is one write to the console's file. Styling
    each access-log line through Rich cost a busy service most of its throughput under
    `shipway dev` (benchmarks/dev_relay.py measures it).
    """

    def __init__(self, console: Console, names: Iterable[str] = ()) -> None:
        self.console = console
        self._colours: dict[str, str] = {}
        self._prefixes: dict[str, str] = {}
        self._width = max((len(name) for name in names), default=0)
        self._lock = threading.Lock()
        for name in names:
            self.colour(name)

    def colour(self, name: str) -> str:
        """The colour of a name, chosen once."""
        return self._colours.setdefault(name, COLOURS[len(self._colours) % len(COLOURS)])

    def line(self, name: str, text: str, *, style: str = "") -> None:
        """Print one line of name's output (shipway's own messages: styled through Rich)."""
        with self._lock:
            prefix = Text(f"{name:<{self._widen(name)}} | ", style=self.colour(name))
            self.console.print(prefix + Text(text, style=style), soft_wrap=True, highlight=False)

    def lines(self, name: str, texts: Iterable[str]) -> None:
        """Print a block of name's output lines, verbatim, in one write."""
        with self._lock:
            prefix = self._prefix(name)
            if self.console.quiet:
                return
            self.console.file.write("".join(f"{prefix}{text}\n" for text in texts))
            self.console.file.flush()

    def _widen(self, name: str) -> int:
        if len(name) > self._width:
            self._width = len(name)
            self._prefixes.clear()
        return self._width

    def _prefix(self, name: str) -> str:
        width = self._widen(name)
        prefix = self._prefixes.get(name)
        if prefix is None:
            with self.console.capture() as captured:
                self.console.print(
                    Text(f"{name:<{width}} | ", style=self.colour(name)),
                    end="",
                    soft_wrap=True,
                    highlight=False,
                )
            prefix = self._prefixes[name] = captured.get()
        return prefix


class LogTail:
    """Copies a stream to the printer and keeps its last lines for a failure report; with a
    file, appends every line there too (what `shipway logs SERVICE --env dev` reads)."""

    def __init__(
        self, name: str, printer: LogPrinter, keep: int = KEPT_LINES, file: Path | None = None
    ) -> None:
        self.name = name
        self.printer = printer
        self.lines: deque[str] = deque(maxlen=keep)
        self.finished = threading.Event()
        self.file = file

    def follow(self, stream: IO[bytes]) -> threading.Thread:
        """Start a daemon thread that reads stream until it closes."""
        thread = threading.Thread(
            target=self._pump, args=(stream,), daemon=True, name=f"logs-{self.name}"
        )
        thread.start()
        return thread

    def _pump(self, stream: IO[bytes]) -> None:
        """Read whatever the pipe holds (up to READ_BYTES) and relay its whole lines at once.

        A busy service writes many lines between two reads; relaying them as one block keeps
        the pipe drained, so the service never waits on a full pipe."""
        pending = b""
        copy = self._open_copy()
        try:
            while chunk := os.read(stream.fileno(), READ_BYTES):
                complete, newline, pending = (pending + chunk).rpartition(b"\n")
                if not newline:  # no line ended yet: wait for the rest, up to a limit
                    complete, pending = (
                        (pending, b"") if len(pending) > READ_BYTES else (b"", pending)
                    )
                if complete or newline:
                    self._relay(complete, copy)
            if pending:
                self._relay(pending, copy)
        finally:
            stream.close()
            if copy is not None:
                copy.close()
            self.finished.set()

    def _open_copy(self) -> IO[str] | None:
        if self.file is None:
            return None
        self.file.parent.mkdir(parents=True, exist_ok=True)
        return self.file.open("w", encoding="utf-8")  # this session's output only

    def _relay(self, block: bytes, copy: IO[str] | None) -> None:
        texts = [line.rstrip("\r") for line in block.decode("utf-8", errors="replace").split("\n")]
        self.lines.extend(texts)
        self.printer.lines(self.name, texts)
        if copy is not None:
            copy.write("".join(f"{text}\n" for text in texts))
            copy.flush()  # a `shipway logs --follow` elsewhere sees each block

"""Each process's output, line by line, behind a coloured `name |` prefix."""

from __future__ import annotations

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


class LogPrinter:
    """Prints prefixed lines from many threads; names are padded to one width."""

    def __init__(self, console: Console, names: Iterable[str] = ()) -> None:
        self.console = console
        self._colours: dict[str, str] = {}
        self._width = max((len(name) for name in names), default=0)
        for name in names:
            self.colour(name)

    def colour(self, name: str) -> str:
        """The colour of a name, chosen once."""
        return self._colours.setdefault(name, COLOURS[len(self._colours) % len(COLOURS)])

    def line(self, name: str, text: str, *, style: str = "") -> None:
        """Print one line of name's output."""
        self._width = max(self._width, len(name))
        prefix = Text(f"{name:<{self._width}} | ", style=self.colour(name))
        self.console.print(prefix + Text(text, style=style), soft_wrap=True, highlight=False)


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
        copy = self._open_copy()
        try:
            for raw in iter(stream.readline, b""):
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                self.lines.append(text)
                self.printer.line(self.name, text)
                if copy is not None:
                    copy.write(text + "\n")
                    copy.flush()  # a `shipway logs --follow` elsewhere sees each line
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

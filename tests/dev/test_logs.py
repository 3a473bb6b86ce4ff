"""The log relay: a service's lines reach the console whole, in order, behind its prefix."""

from __future__ import annotations

import io
import os

from rich.console import Console

from shipway.dev.logs import KEPT_LINES, READ_BYTES, LogPrinter, LogTail


def _relay(chunks: list[bytes], *, console: Console) -> LogTail:
    reader, writer = os.pipe()
    tail = LogTail("api", LogPrinter(console, names=["api", "worker"]))
    thread = tail.follow(os.fdopen(reader, "rb"))
    for chunk in chunks:
        os.write(writer, chunk)
    os.close(writer)
    thread.join(timeout=10)
    assert tail.finished.is_set()
    return tail


def test_lines_split_across_reads_come_out_whole_and_in_order() -> None:
    output = io.StringIO()
    console = Console(file=output, width=80, color_system=None)
    lines = [f"GET /item/{number} 200 {'x' * (number % 97)}" for number in range(20_000)]
    data = "".join(
        f"{line}\r\n" if number % 3 == 0 else f"{line}\n" for number, line in enumerate(lines)
    ).encode()
    # Uneven chunks, cutting lines (and the \r\n pairs) anywhere.
    chunks = [data[start : start + 4093] for start in range(0, len(data), 4093)]
    tail = _relay([*chunks, b"no newline at the end"], console=console)
    printed = output.getvalue().splitlines()
    assert printed == [f"api    | {line}" for line in [*lines, "no newline at the end"]]
    assert list(tail.lines) == [*lines, "no newline at the end"][-KEPT_LINES:]


def test_a_line_longer_than_a_read_is_relayed_in_pieces_not_held_forever() -> None:
    output = io.StringIO()
    long_line = b"y" * (3 * READ_BYTES)
    _relay([long_line, b"\nafter\n"], console=Console(file=output, width=80, color_system=None))
    printed = output.getvalue().splitlines()
    assert "".join(line.removeprefix("api    | ") for line in printed[:-1]) == long_line.decode()
    assert printed[-1] == "api    | after"


def test_the_prefix_keeps_its_colour_and_text_is_verbatim() -> None:
    output = io.StringIO()
    console = Console(file=output, width=80, color_system="standard", force_terminal=True)
    _relay([b"[bold]not markup[/bold] \xff\n"], console=console)
    text = output.getvalue()
    assert "\x1b[36m" in text  # cyan, the first name's colour
    assert text.endswith("[bold]not markup[/bold] \ufffd\n")


def test_shipways_own_lines_and_a_longer_name_widen_every_prefix() -> None:
    output = io.StringIO()
    printer = LogPrinter(Console(file=output, width=80, color_system=None), names=["api"])
    printer.lines("api", ["one"])
    printer.line("health-watch", "api is unhealthy")
    printer.lines("api", ["two"])
    assert output.getvalue().splitlines() == [
        "api | one",
        "health-watch | api is unhealthy",
        "api          | two",
    ]

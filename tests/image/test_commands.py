"""An engine's output, streamed line by line: what reaches progress and error messages."""

from __future__ import annotations

from shipway.image.commands import plain, run_streaming


def test_terminal_colours_and_controls_never_reach_a_message() -> None:
    # Docker's legacy builder paints a failing RUN step's stderr red: `\x1b[91m...\x1b[0m`.
    status, last = run_streaming(
        ["sh", "-c", r"printf '\033[91mTraceback\033[0m\r\nplain\n'; exit 3"]
    )
    assert status == 3
    assert last == ["Traceback", "plain"]


def test_plain_keeps_text_and_tabs() -> None:
    assert plain("Step 15/20 :\tRUN make") == "Step 15/20 :\tRUN make"
    assert plain("\x1b[1;31mbold red\x1b[m\x07") == "bold red"


def test_every_line_reaches_the_sink_and_only_the_last_are_kept() -> None:
    seen: list[str] = []
    status, last = run_streaming(["sh", "-c", "seq 1 50"], on_line=seen.append)
    assert status == 0
    assert seen == [str(n) for n in range(1, 51)]
    assert last == [str(n) for n in range(11, 51)]  # the last 40

"""The one assertion every bad-manifest case makes: `shipway validate` answers with a single
`file:line:column: path: message` line, exit status 2, and no traceback."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from typer.testing import CliRunner

from shipway.cli import app

if TYPE_CHECKING:
    from pathlib import Path


def assert_one_located_error(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(textwrap.dedent(text), encoding="utf-8")

    result = CliRunner().invoke(app, ["validate", "-f", str(manifest)])

    assert result.exit_code == 2, result.output
    lines = [entry for entry in result.stderr.splitlines() if entry.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{manifest}:{line}:"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.output

"""Hostile YAML through the real command, each in its own process: one located line, exit 2,
and a bounded peak memory (the machine is never exhausted). Times: benchmarks/hostile_manifests.py.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from shipway.testing.hostile_manifests import HOSTILE_MANIFESTS

if TYPE_CHECKING:
    from pathlib import Path

CASES = HOSTILE_MANIFESTS
# Measures the command's own peak memory from inside its process: VmHWM belongs to the
# process's memory after exec (ru_maxrss would carry over the forking pytest's).
RUN = textwrap.dedent("""
    import re, runpy, sys
    sys.argv = ["shipway", "validate", "-f", sys.argv[1]]
    try:
        runpy.run_module("shipway.cli", run_name="__main__")
    except SystemExit as done:
        code = done.code
    status = open("/proc/self/status").read()
    print("peak-kb", re.search(r"VmHWM:\\s+(\\d+)", status).group(1), file=sys.stderr)
    sys.exit(code)
""")
PEAK_MB = 100


@pytest.mark.parametrize(("text", "words"), CASES.values(), ids=list(CASES))
def test_hostile_manifest_is_one_located_line_in_bounded_memory(
    tmp_path: Path, text: str, words: str
) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(manifest)], capture_output=True, text=True, timeout=60
    )
    lines = result.stderr.splitlines()
    peak = int(lines.pop().split()[1]) / 1024
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"{manifest}:"), lines
    assert words in lines[0]
    assert peak < PEAK_MB, f"peak memory {peak:.0f} MB"


def test_yaml_merge_keys_work_and_errors_point_where_the_value_was_written(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        "name: a\nenvironments:\n"
        "  test: &base\n    account: '123456789012'\n    region: us-east-1\n    nat_gateways: 5\n"
        "  prod:\n    <<: *base\n    availability_zones: 3\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "shipway.cli", "validate", "-f", str(manifest)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # prod merges test's values: its nat_gateways (5) is wrong in both, written on line 6.
    assert result.returncode == 2
    assert f"{manifest}:6:" in result.stderr
    assert "environments.prod.nat_gateways" in result.stderr

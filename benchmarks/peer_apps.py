"""The seeds' own apps, installed, built and started as their Dockerfiles run them, as processes.

Their source is not in this repository (neither states a licence): benchmarks/peers/README.md says
which commit of which repository to copy into $SHIPWAY_PEERS (default ~/.cache/shipway/peers).
Each runs on SERVER_CPU, on a free loopback port, in a session of its own (examples.start),
stopped when the stack closes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from examples import ROOT, SERVER_CPU, BenchmarkError, start
from shipway.emulators import free_port

if TYPE_CHECKING:
    import contextlib

PEERS = Path(__file__).resolve().parent / "peers"
PEER_SOURCES = Path(
    os.environ.get("SHIPWAY_PEERS") or Path.home() / ".cache" / "shipway" / "peers"
).expanduser()
SEED_002 = PEER_SOURCES / "seed002"
SEED_003 = PEER_SOURCES / "seed003"
NEEDED = {SEED_002: ("app.py", "Dockerfile", "Pipfile.lock"), SEED_003: ("main.go", "Dockerfile")}
MOTO_ENDPOINT = PEERS / "moto_endpoint"  # its sitecustomize points the peer's boto3 at moto
SEED_002_TABLE = "dynamodb01"  # the name its app.py reads
SEED_003_LISTEN = '":80"'  # its main.go's address: all interfaces, a privileged port
INSTALL_TIMEOUT = 300
BUILD_TIMEOUT = 120


def require_source(folder: Path) -> None:
    """Stop with what to copy where if a peer's files are missing."""
    missing = [name for name in NEEDED[folder] if not (folder / name).is_file()]
    if missing:
        raise BenchmarkError(
            f"{folder} lacks {', '.join(missing)}: copy them from the repository and commit "
            "named in benchmarks/peers/README.md (or set SHIPWAY_PEERS to where they are)"
        )


def entrypoint(dockerfile: Path) -> list[str]:
    """The command of a Dockerfile's exec-form ENTRYPOINT."""
    lines = dockerfile.read_text().splitlines()
    line = next(line for line in lines if line.startswith("ENTRYPOINT"))
    command: list[str] = json.loads(line.removeprefix("ENTRYPOINT"))
    return command


def with_option(argv: list[str], option: str, value: str) -> list[str]:
    """argv with the value that follows option replaced."""
    at = argv.index(option) + 1
    return [*argv[:at], value, *argv[at + 1 :]]


def uv_binary() -> str:
    """The uv running this script (uv run sets UV), else uv on PATH, else the one make installs."""
    return os.environ.get("UV") or shutil.which("uv") or str(ROOT / "tools" / "uv" / "bin" / "uv")


def seed_002_venv(folder: Path) -> Path:
    """A venv holding seed 002's Pipfile.lock packages, hashes checked (pipenv --deploy's way)."""
    require_source(SEED_002)
    lock = json.loads((SEED_002 / "Pipfile.lock").read_text())
    requirements = folder / "seed002-requirements.txt"
    requirements.write_text(
        "".join(
            f"{name}{spec['version']}"
            + (f" ; {spec['markers']}" if spec.get("markers") else "")
            + "".join(f" --hash={digest}" for digest in spec["hashes"])
            + "\n"
            for name, spec in lock["default"].items()
        )
    )
    venv = folder / "seed002-venv"
    uv = uv_binary()
    # Its Pipfile asks for Python 3.11, which this script runs on too: the same interpreter.
    for command in (
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
        + ["--require-hashes", "-r", str(requirements)],
    ):
        subprocess.run(command, check=True, timeout=INSTALL_TIMEOUT)
    return venv


def seed_002(stack: contextlib.ExitStack, folder: Path, aws: dict[str, str]) -> str:
    """Seed 002's app under gunicorn, with its image's flags, on SERVER_CPU; its base URL.

    The image runs `pipenv run gunicorn ...`; pipenv only finds the venv, so gunicorn is run
    from the venv directly. --chdir points at the vendored app.py, --bind at a loopback port.
    """
    venv = seed_002_venv(folder)
    port = free_port()
    argv = entrypoint(SEED_002 / "Dockerfile")[2:]  # without `pipenv run`
    argv = with_option(argv, "--chdir", str(SEED_002))
    argv = with_option(argv, "--bind", f"127.0.0.1:{port}")
    env = {
        **aws,
        "AWS_REGION": aws["AWS_DEFAULT_REGION"],  # what its app.py reads
        "PYTHONPATH": str(MOTO_ENDPOINT),
        # The image's environment.
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONFAULTHANDLER": "1",
    }
    command = ["taskset", "-c", str(SERVER_CPU), str(venv / "bin" / argv[0]), *argv[1:]]
    start(stack, command, folder / "seed002.log", port, env=env)
    return f"http://127.0.0.1:{port}"


def seed_003(stack: contextlib.ExitStack, folder: Path) -> str:
    """Seed 003's app, built as its Dockerfile builds it, on SERVER_CPU; its base URL.

    Its main.go listens on ":80" (all interfaces, needs root, one per machine): the copy that
    is built listens on a free loopback port instead; nothing else changes.
    """
    require_source(SEED_003)
    source = (SEED_003 / "main.go").read_text()
    if SEED_003_LISTEN not in source:
        raise BenchmarkError(f"seed 003's main.go no longer listens on {SEED_003_LISTEN}")
    port = free_port()
    build = folder / "seed003"
    build.mkdir()
    (build / "main.go").write_text(source.replace(SEED_003_LISTEN, f'"127.0.0.1:{port}"'))
    subprocess.run(
        ["go", "build", "-o", "goapp"],
        cwd=build,
        env={**os.environ, "GO111MODULE": "off"},  # no go.mod: GOPATH mode, as Go 1.13 built it
        check=True,
        timeout=BUILD_TIMEOUT,
    )
    start(stack, ["taskset", "-c", str(SERVER_CPU), str(build / "goapp")], folder / "go.log", port)
    return f"http://127.0.0.1:{port}"

"""What the commands share: options, finding the manifest, choosing environments, user errors,
and progress on long work."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.markup import escape

from shipway.cli.app import errors
from shipway.errors import GateFailedError, UserError
from shipway.manifest import (
    LOCAL_ENVIRONMENT,
    Manifest,
    ManifestError,
    UnknownEnvironmentError,
    load_manifest,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.console import Console

MANIFEST_NAMES = ("shipway.yml", "shipway.yaml")

ManifestPath = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="The manifest. Default: shipway.yml in this folder or the nearest parent.",
        show_default=False,
    ),
]
EnvOption = Annotated[
    str | None,
    typer.Option(
        "--env", "-e", help="Environment from the manifest (needed when it defines several)."
    ),
]
AllEnvs = Annotated[bool, typer.Option("--all-envs", help="Every environment.")]
JsonOutput = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON on standard output.")
]

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn errors a user can fix into one clear line and exit status 2 (gates: 1)."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ManifestError as error:
            for issue in error.issues:
                errors.print(str(issue), markup=False)
            raise typer.Exit(2) from None
        except (UserError, UnknownEnvironmentError) as error:
            errors.print(f"error: {error}", markup=False)
            raise typer.Exit(2) from None
        except GateFailedError as error:
            errors.print(str(error), markup=False)
            raise typer.Exit(1) from None

    return run


def find_manifest(file: Path | None, start: Path | None = None) -> Path:
    """file as given, else shipway.yml in start (the current folder) or its nearest parent."""
    if file is not None:
        return file
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in MANIFEST_NAMES:
            if (folder / name).is_file():
                return folder / name
    raise UserError(
        f"no shipway.yml in {here} or any folder above it: pass -f FILE, or create one with "
        "'shipway init'"
    )


def read_manifest(file: Path | None) -> Manifest:
    """Load the manifest the user named (or the one found for them)."""
    return load_manifest(find_manifest(file))


def one_environment(manifest: Manifest, env: str | None) -> str:
    """The environment a command acts on: --env, or the manifest's only one."""
    names = manifest.environment_names
    if env is None:
        if len(names) == 1:
            return names[0]
        raise UserError(
            f"{manifest.path} defines {len(names)} environments; name one with --env "
            f"({', '.join(names)})"
        )
    if env != LOCAL_ENVIRONMENT or env in names:
        manifest.environment(env)
    return env


def environments(manifest: Manifest, env: str | None, all_envs: bool) -> list[str]:
    """--all-envs, or the one environment from --env (or the manifest's only one)."""
    if all_envs:
        if env is not None:
            raise UserError("give either --env or --all-envs, not both")
        return manifest.environment_names
    if env is None and len(manifest.environment_names) > 1:
        raise UserError(
            "name an environment with --env (or pass --all-envs); defined: "
            + ", ".join(manifest.environment_names)
        )
    name = one_environment(manifest, env)
    manifest.environment(name)
    return [name]


def print_json(value: object) -> None:
    """value as indented JSON on standard output (the only thing printed there)."""
    sys.stdout.write(json.dumps(value, indent=2) + "\n")


class Steps:
    """Long work named step by step as it runs, each with the seconds it took (on stderr)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.started = time.monotonic()

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Show label while the block runs, then `✓ label (1.2 s)`."""
        started = time.monotonic()
        with self.console.status(f"{escape(label)} ..."):
            yield
        self.console.print(f"[green]✓[/] {escape(label)} ({time.monotonic() - started:.1f} s)")

    def total(self) -> float:
        return time.monotonic() - self.started

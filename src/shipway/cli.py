"""The shipway command line: thin commands that parse flags, call the units, print with Rich."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from shipway.errors import GateFailedError, UserError
from shipway.manifest import Manifest, ManifestError, UnknownEnvironmentError, load_manifest

app = typer.Typer(
    name="shipway", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Describe an application in shipway.yml; validate, synthesize, check, deploy it to AWS, "
         "or run it on this machine.")
console = Console()
errors = Console(stderr=True)

ManifestPath = Annotated[Path, typer.Option("--file", "-f", help="The manifest.",
                                            show_default=True)]
EnvName = Annotated[str, typer.Option("--env", "-e", help="Environment name from the manifest.")]

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
                errors.print(str(issue), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (UserError, UnknownEnvironmentError) as error:
            errors.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except GateFailedError as error:
            errors.print(str(error), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return run


def read_manifest(path: Path) -> Manifest:
    """Load the manifest the user named."""
    return load_manifest(path)


@app.command()
@user_errors
def validate(file: ManifestPath = Path("shipway.yml")) -> None:
    """Check a manifest; print every problem as file:line:column and exit 2, or exit 0."""
    manifest = read_manifest(file)
    application = manifest.application
    console.print(f"[green]✓[/] {file}: application '{application.name}', "
                  f"{len(application.environments)} environment(s), "
                  f"{len(application.services)} service(s)")


@app.command()
@user_errors
def schema(output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None) -> None:
    """Print the JSON Schema of shipway.yml, for editors."""
    from shipway.manifest.schema import schema_json

    text = schema_json()
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {output}")


@app.command()
@user_errors
def init(
    file: ManifestPath = Path("shipway.yml"),
    name: Annotated[str, typer.Option(help="Application name.")] = "my-app",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter shipway.yml."""
    from shipway.manifest.starter import starter_manifest

    if file.exists() and not force:
        raise UserError(f"{file} exists; pass --force to overwrite it")
    file.write_text(starter_manifest(name), encoding="utf-8")
    console.print(f"wrote {file}: edit it, then run 'shipway validate -f {file}'")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

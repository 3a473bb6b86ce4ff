"""The Typer application every command registers with, and the consoles they print to."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

import shipway
from shipway.cli.exit import leave, status_of

app = typer.Typer(
    name="shipway",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Describe an application in shipway.yml; validate, synthesize, check, deploy it to AWS, "
    "or run it on this machine.",
)
# Emoji codes stay text: an ARN's `:secret:` must print as written.
console = Console(soft_wrap=True, emoji=False, highlight=False)
errors = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)


def _version(value: bool) -> None:
    if value:
        console.print(f"shipway {shipway.__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Describe an application in shipway.yml; validate, synthesize, check, deploy it to AWS,
    or run it on this machine."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as done:  # click ends every command with one
        leave(status_of(done))

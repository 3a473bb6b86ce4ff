"""Commands about the manifest itself: validate, schema, init."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from shipway.cli.app import app, console
from shipway.cli.common import JsonOutput, ManifestPath, find_manifest, print_json, user_errors
from shipway.errors import UserError
from shipway.manifest import ManifestError, load_manifest


@app.command()
@user_errors
def validate(file: ManifestPath = None, json_output: JsonOutput = False) -> None:
    """Check a manifest; print every problem as file:line:column and exit 2, or exit 0.

    Every environment is resolved and checked, so a manifest that validates synthesizes.
    """
    path = find_manifest(file)
    try:
        manifest = load_manifest(path)
    except ManifestError as error:
        if not json_output:
            raise
        print_json({"valid": False, "file": str(path), "issues": _issues(error)})
        raise typer.Exit(2) from None
    application = manifest.application
    if json_output:
        print_json(
            {
                "valid": True,
                "file": str(path),
                "application": application.name,
                "environments": manifest.environment_names,
                "services": list(application.services),
            }
        )
        return
    console.print(
        f"[green]✓[/] {escape(str(path))}: application '{application.name}', "
        f"{len(application.environments)} environment(s), "
        f"{len(application.services)} service(s)"
    )


def _issues(error: ManifestError) -> list[dict[str, object]]:
    return [
        {
            "file": str(issue.file),
            "line": issue.line,
            "column": issue.column,
            "path": issue.path,
            "message": issue.message,
        }
        for issue in error.issues
    ]


@app.command()
@user_errors
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    format: Annotated[
        Literal["json", "markdown"],
        typer.Option(
            "--format", help="json: the JSON Schema, for editors; markdown: the reference."
        ),
    ] = "json",
) -> None:
    """Print the manifest's JSON Schema (for editors) or its Markdown reference (docs/)."""
    from shipway.manifest.reference import reference_markdown
    from shipway.manifest.schema import schema_json

    text = schema_json() + "\n" if format == "json" else reference_markdown()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {escape(str(output))}")


@app.command()
@user_errors
def init(
    file: Annotated[Path, typer.Option("--file", "-f", help="Where to write the manifest.")] = Path(
        "shipway.yml"
    ),
    name: Annotated[str | None, typer.Option(help="Application name; default: the folder's.")] = (
        None
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter shipway.yml (and its JSON Schema, for editors) beside it."""
    from shipway.manifest.schema import schema_json
    from shipway.manifest.starter import NAME, SCHEMA_FILE, application_name, starter_manifest

    if file.is_dir():
        raise UserError(
            f"{file} is a folder; give the manifest's file name, e.g. {file}/shipway.yml"
        )
    if file.exists() and not force:
        raise UserError(f"{file} exists; pass --force to overwrite it")
    if name is not None and not NAME.match(name):
        raise UserError(
            f"--name {name!r}: use lower-case letters, digits and hyphens, starting with a "
            "letter, at most 20 characters"
        )
    chosen = name or application_name(file.resolve().parent.name)
    file.write_text(starter_manifest(chosen), encoding="utf-8")
    (file.parent / SCHEMA_FILE).write_text(schema_json() + "\n", encoding="utf-8")
    console.print(
        f"wrote {escape(str(file))} and {SCHEMA_FILE} (for your editor): edit it, then run "
        f"'shipway validate -f {escape(str(file))}'"
    )
    if not (file.parent / "Dockerfile").is_file():
        console.print(
            "note: there is no Dockerfile here yet; services.web builds its image from "
            "./Dockerfile (add one, or give the service image: {uri: ...})"
        )

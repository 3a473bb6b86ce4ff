"""`shipway runbook`: a Markdown runbook page per alarm kind of the application."""

from __future__ import annotations

from pathlib import Path  # noqa: TC003  # Typer reads the annotations at runtime
from typing import Annotated

import typer
from rich.markup import escape

from shipway.cli.app import app, console
from shipway.cli.common import ManifestPath, find_manifest, user_errors
from shipway.manifest import load_manifest, resolve


@app.command()
@user_errors
def runbook(
    file: ManifestPath = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write the pages to. Default: docs/runbooks beside the manifest.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write one runbook page per alarm kind (what it means, first three checks, how to
    mitigate) and an index; each alarm's description links its page (runbook_url)."""
    from shipway.observability.runbooks import runbook_pages

    path = find_manifest(file)
    manifest = load_manifest(path)
    folder = out or path.parent / "docs" / "runbooks"
    plans = [resolve(manifest, name) for name in manifest.environment_names]
    pages = runbook_pages(manifest.application.name, plans)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    console.print(f"wrote {len(pages) - 1} runbook page(s) and an index to {escape(str(folder))}")

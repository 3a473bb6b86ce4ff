"""Commands for operating what was shipped: draw it (`diagram`)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shipway.cli.app import app, errors
from shipway.cli.common import EnvOption, ManifestPath, one_environment, read_manifest, user_errors
from shipway.errors import UserError
from shipway.manifest import resolve


class DiagramFormat(StrEnum):
    png = "png"
    svg = "svg"
    mermaid = "mermaid"


SUFFIXES = {".png": DiagramFormat.png, ".svg": DiagramFormat.svg, ".mmd": DiagramFormat.mermaid}


@app.command()
@user_errors
def diagram(
    file: ManifestPath = None,
    env: EnvOption = None,
    image_format: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            help="png or svg (AWS icons, drawn by Graphviz) or mermaid (text GitHub renders). "
            "Default: from --out's suffix (.png, .svg, .mmd), else mermaid.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write here. Default: Mermaid on standard output, a picture to "
            "<app>-<env>.<format>.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw one environment's architecture from the manifest: internet, WAF, load balancer,
    services and how they reach each other, data, loaders, subnet tiers and the alarm topic."""
    from shipway.diagram import architecture, graphviz_source, mermaid, render

    manifest = read_manifest(file)
    plan = resolve(manifest, one_environment(manifest, env))
    chosen = image_format or _format_of(out)
    graph = architecture(plan)
    if chosen is DiagramFormat.mermaid:
        text = mermaid(graph)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text)
    else:
        image = render(graphviz_source(graph), "png" if chosen is DiagramFormat.png else "svg")
        out = out or Path(f"{plan.app}-{plan.name}.{chosen.value}")
        out.write_bytes(image)
    errors.print(f"wrote {out}", markup=False)


def _format_of(out: Path | None) -> DiagramFormat:
    if out is None:
        return DiagramFormat.mermaid
    if out.suffix.lower() in SUFFIXES:
        return SUFFIXES[out.suffix.lower()]
    raise UserError(
        f"--out {out}: cannot tell the format from '{out.suffix or 'no suffix'}'; give --format "
        "png, svg or mermaid (or end the file name with .png, .svg or .mmd)"
    )

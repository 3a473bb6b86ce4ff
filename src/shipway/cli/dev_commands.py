"""Commands for the local run: dev, and load (into a running dev)."""

from __future__ import annotations

from pathlib import Path  # noqa: TC003 - Typer reads the annotations at run time
from typing import Annotated

import typer

from shipway.cli.app import app, console, errors
from shipway.cli.common import ManifestPath, read_manifest, user_errors


@app.command()
@user_errors
def dev(file: ManifestPath = None) -> None:
    """Run the application on this machine, without Docker or an AWS account.

    Starts the moto server (DynamoDB, S3, SQS, Secrets Manager, SSM) and Redis, creates the
    manifest's tables, buckets, loader queues and secrets (with the values of its `dev`
    environment, if it defines one), loads the seed data, then starts each service as a process
    in dependency order, health-gated. Prints the URLs, streams prefixed logs and writes
    .shipway/dev.json beside the manifest. Ctrl-C or SIGTERM stops everything (exit 0); a
    service that crashes or never becomes healthy: its last lines, exit 1.
    """
    from shipway.dev import run_dev

    raise typer.Exit(run_dev(read_manifest(file), console, errors))


@app.command()
@user_errors
def load(
    data: Annotated[Path, typer.Argument(metavar="FILE", help="The file to upload.")],
    bucket: Annotated[str, typer.Option("--bucket", "-b", help="Bucket name from the manifest.")],
    file: ManifestPath = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the loader.")] = 60.0,
) -> None:
    """Upload FILE to a bucket of the running 'shipway dev' and wait for its loader.

    Prints how many records loaded and were rejected, and the rejection report's key. Exit 0
    when the loader processed the file (even with rejected records), 1 if the file is malformed
    or the loader did not report in time, 2 if no 'shipway dev' runs or the request is wrong.
    """
    from shipway.dev import LoadFailedError, load_file

    try:
        record = load_file(read_manifest(file), bucket, data, console=console, timeout=timeout)
    except LoadFailedError as error:
        errors.print(f"error: {error}", markup=False)
        raise typer.Exit(1) from None
    console.print(record.describe(), style="red" if record.malformed else None, markup=False)
    if record.malformed:
        raise typer.Exit(1)

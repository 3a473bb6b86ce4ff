"""Commands for the local run: dev, load (into a running dev), and job run (locally or in an
environment)."""

from __future__ import annotations

from pathlib import Path  # noqa: TC003 - Typer reads the annotations at run time
from typing import TYPE_CHECKING, Annotated

import typer

from shipway.cli.app import app, console, errors
from shipway.cli.common import ManifestPath, one_environment, read_manifest, user_errors
from shipway.errors import UserError

if TYPE_CHECKING:
    from shipway.manifest import Manifest


@app.command()
@user_errors
def dev(
    file: ManifestPath = None,
    jobs: Annotated[
        bool,
        typer.Option(
            "--jobs", help="Also run the manifest's jobs on their schedules (UTC), as processes."
        ),
    ] = False,
) -> None:
    """Run the application on this machine, without Docker or an AWS account.

    Starts the moto server (DynamoDB, S3, SQS, Secrets Manager, SSM) and Redis, creates the
    manifest's tables, buckets, loader queues and secrets (with the values of its `dev`
    environment, if it defines one), loads the seed data, then starts each service as a process
    in dependency order, health-gated. Prints the URLs, streams prefixed logs and writes
    .shipway/dev.json beside the manifest. Ctrl-C or SIGTERM stops everything (exit 0); a
    service that crashes or never becomes healthy: its last lines, exit 1. Workers (type:
    worker) are healthy while their process runs. A sidecar with a local.command runs just
    before its service, logged as SERVICE/SIDECAR; one without is listed as not run locally.
    An env_file is loaded below the service's environment and the variables shipway injects.
    With --jobs, each job also runs on its schedule; 'shipway job run NAME' runs one once.
    """
    from shipway.dev import run_dev

    raise typer.Exit(run_dev(read_manifest(file), console, errors, jobs=jobs))


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


job_app = typer.Typer(
    name="job",
    no_args_is_help=True,
    help="Run a scheduled job once: locally against 'shipway dev', or in an environment.",
)
app.add_typer(job_app)


@job_app.command("run")
@user_errors
def job_run(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The job, from 'jobs:'.")],
    file: ManifestPath = None,
    env: Annotated[
        str | None,
        typer.Option(
            "--env",
            "-e",
            help="Run it in this deployed environment (default: locally, against the running "
            "'shipway dev').",
        ),
    ] = None,
) -> None:
    """Run job NAME once and exit with its exit code.

    Without --env: runs its command on this machine with the variables the cloud injects, with
    the values of the running 'shipway dev' (start it first), stopped at the job's timeout
    (exit 124). With --env: starts one execution of the job's state machine (its timeout and
    retries apply) and follows it until the task stops. Exit 2 if the job or environment is
    unknown, or nothing runs to run it against.
    """
    manifest = read_manifest(file)
    if env is None:
        from shipway.job.local import run_job_locally

        raise typer.Exit(run_job_locally(manifest, name, console))
    raise typer.Exit(_run_in_cloud(manifest, name, env))


def _run_in_cloud(manifest: Manifest, name: str, env: str) -> int:
    import boto3

    from shipway.deploy.cdk_cli import require_credentials
    from shipway.job.cloud import follow_run, start_run, state_machine_arn
    from shipway.manifest import resolve

    plan = resolve(manifest, one_environment(manifest, env))
    job = plan.jobs.get(name)
    if job is None:
        listing = ", ".join(plan.jobs) or "none"
        raise UserError(f"there is no job '{name}' in {manifest.path} (jobs: {listing})")
    require_credentials()
    settings = plan.settings
    client = boto3.client("stepfunctions", region_name=settings.region)
    machine = state_machine_arn(settings.region, settings.account, job.physical_name)
    execution = start_run(client, machine)
    console.print(f"started {execution}", highlight=False, markup=False)
    with console.status(f"job {name} is running ...") as status:
        result = follow_run(
            client,
            execution,
            on_wait=lambda waited: status.update(f"job {name} is running ... {waited:.0f} s"),
        )
    console.print(
        f"job {name}: {result.status}, exit code {result.exit_code} ({result.reason})",
        highlight=False,
        markup=False,
    )
    return result.exit_status

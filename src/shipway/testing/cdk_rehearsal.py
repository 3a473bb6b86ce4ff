"""The pinned CDK CLI pointed at a rehearsal's moto server: bootstrap, deploy, destroy.

Usable by hand too::

    with RehearsalMotoServer() as moto:
        cdk = CdkRehearsal(moto)
        cdk.bootstrap("us-east-1")
        cdk.deploy(Path("cdk.out"), "bootcamp-test", region="us-east-1")
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from shipway.deploy.cdk_cli import cdk_command, cdk_environment
from shipway.testing.rehearsal_moto import ACCOUNT

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.rehearsal_moto import RehearsalMotoServer

TIMEOUT_SECONDS = 300


class CdkCommandError(AssertionError):
    """A CDK CLI command exited non-zero; the message ends with its last lines of output."""


class CdkRehearsal:
    """Runs `cdk` with the moto server's endpoint, fake credentials and the region given."""

    def __init__(self, moto: RehearsalMotoServer) -> None:
        self.moto = moto
        self.bootstrapped: set[str] = set()

    def run(self, *arguments: str, region: str) -> str:
        """`cdk <arguments>`; its combined output, or CdkCommandError."""
        environment = {**cdk_environment(), **self.moto.client_environment(region)}
        done = subprocess.run(  # noqa: S603 - the pinned CLI, our arguments
            [*cdk_command(), *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0:
            tail = "\n".join(output.splitlines()[-25:])
            raise CdkCommandError(f"cdk {' '.join(arguments)} exited {done.returncode}:\n{tail}")
        return output

    def bootstrap(self, region: str) -> str:
        """`cdk bootstrap aws://<account>/<region>`, once per region."""
        if region in self.bootstrapped:
            return ""
        output = self.run("bootstrap", f"aws://{ACCOUNT}/{region}", region=region)
        self.bootstrapped.add(region)
        return output

    def deploy(self, assembly: Path, stack: str, *, region: str) -> str:
        """`cdk deploy` of one stack of a synthesized assembly, without approval prompts."""
        self.bootstrap(region)
        return self.run(
            "deploy", "--app", str(assembly), stack, "--require-approval", "never", region=region
        )

    def destroy(self, assembly: Path, stack: str, *, region: str) -> str:
        """`cdk destroy --force` of one stack."""
        return self.run("destroy", "--app", str(assembly), stack, "--force", region=region)

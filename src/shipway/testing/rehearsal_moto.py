"""The moto server a rehearsal deploys into, and what it says about each deployed resource."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipway.emulators.moto_server import FAKE_CREDENTIALS, MotoServer

ACCOUNT = "123456789012"


@dataclass
class StackCoverage:
    """How a stack's resources were created: by moto for real, by a stand-in, or not at all."""

    stack: str
    resources: list[dict[str, Any]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for resource in self.resources if resource["kind"] == kind)

    def types(self, kind: str) -> Counter[str]:
        return Counter(resource["type"] for resource in self.resources if resource["kind"] == kind)

    def summary(self) -> str:
        """One line for test output and reports."""
        return (
            f"{self.stack}: {len(self.resources)} resources, {self.count('emulated')} emulated "
            f"by moto, {self.count('stood_in')} stood in, {self.count('skipped')} skipped, "
            f"{self.count('failed')} failed"
        )


class RehearsalMotoServer(MotoServer):
    """moto_cloudformation's server: moto with stand-ins, and a coverage report."""

    name = "moto server (CloudFormation rehearsal)"

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.folder = Path(tempfile.mkdtemp(prefix="shipway-moto-cfn-"))
        self.log_path = self.folder / "moto.log"
        self.report = self.folder / "coverage.jsonl"

    @property
    def endpoint_url(self) -> str:
        # localhost, not 127.0.0.1: moto reads a change set's TemplateURL bucket from the URL's
        # host unless that host is localhost, and then cannot find the bucket
        return f"http://localhost:{self.port}"

    def client_environment(self, region: str = "us-east-1") -> dict[str, str]:
        return {
            **super().client_environment(),
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "CDK_DEFAULT_ACCOUNT": ACCOUNT,
        }

    def client(self, service: str, region: str = "us-east-1") -> Any:
        """A boto3 client of service in region, talking to this server."""
        import boto3  # only where a rehearsal reads moto back

        session: Any = boto3.session.Session(
            region_name=region,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        return session.client(service, endpoint_url=self.endpoint_url)

    def start(self) -> RehearsalMotoServer:
        module = "shipway.testing.moto_cloudformation"
        argv = [sys.executable, "-m", module, "--port", str(self.port)]
        # No task ever runs in a rehearsal: each service reports its desired count running
        # (shipway.testing.moto_fixes), so a rollout completes as ECS's would.
        environment = {**os.environ, **FAKE_CREDENTIALS}
        self._run([*argv, "--report", str(self.report)], env=environment)
        return self

    def stop(self) -> None:
        """Stop the server and remove its folder (log and report: read coverage before)."""
        super().stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def coverage(self, stack: str) -> StackCoverage:
        """The resources created for stack so far (its latest creation, if created twice)."""
        found = StackCoverage(stack)
        if not self.report.exists():
            return found
        for line in self.report.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["stack"] == stack:
                found.resources = [
                    known for known in found.resources if known["logical_id"] != entry["logical_id"]
                ]
                found.resources.append(entry)
        return found

"""Shipping one environment: its images, its registry and environment stacks, and the proof that
it runs. `shipway build`, `push`, `deploy` and `destroy` are steps of this one flow."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import boto3

from shipway.deploy import stacks
from shipway.deploy.cdk_cli import run_cdk
from shipway.deploy.images import image_references, image_sources
from shipway.deploy.verify import (
    DeployFailedError,
    ExpectedService,
    ServiceState,
    SmokeTarget,
    smoke_base_urls,
    smoke_test,
    wait_until_steady,
)
from shipway.errors import GateFailedError
from shipway.image import publish_image, registry_from_environment
from shipway.image.built import built_from_source
from shipway.image.infrastructure import registry_stack_name, repository_output
from shipway.manifest import EnvironmentPlan, Manifest
from shipway.manifest.names import pascal
from shipway.synthesis import synthesize

if TYPE_CHECKING:
    import contextlib

    from shipway.image import PushedImage
    from shipway.synthesis import SynthResult

BOOTSTRAP_STACK = "CDKToolkit"
SETTLED = ("CREATE_COMPLETE", "UPDATE_COMPLETE")
STEADY_SECONDS = 30 * 60.0
SMOKE_SECONDS = 120.0


class Progress(Protocol):
    """Where a release reports what it does."""

    def step(self, label: str) -> contextlib.AbstractContextManager[None]: ...

    def output(self, line: str) -> None:
        """A line a tool (the container engine, the CDK CLI) printed."""

    def result(self, line: str) -> None:
        """A line the user should keep (an image pushed, a URL)."""


@dataclass
class Release:
    """One environment of a manifest, on its way to AWS."""

    manifest: Manifest
    plan: EnvironmentPlan
    progress: Progress
    outdir: Path
    overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.images = image_references(self.manifest, self.plan, self.overrides)
        self.synthesized: SynthResult | None = None

    @functools.cached_property
    def session(self) -> Any:
        return boto3.session.Session(region_name=self.plan.settings.region)

    def client(self, service: str) -> Any:
        return self.session.client(service)

    @property
    def stack(self) -> str:
        return self.plan.stack_name

    @property
    def registry(self) -> str | None:
        return registry_stack_name(self.plan) if built_from_source(self.plan) else None

    def synthesize(self) -> SynthResult:
        """The environment's registry and stack, gated by cdk-nag."""
        self.synthesized = synthesize(
            self.manifest,
            [self.plan.name],
            outdir=self.outdir,
            images={self.plan.name: self.images},
            step=self.progress.step,
        )
        if self.synthesized.nag:
            raise GateFailedError(
                f"{len(self.synthesized.nag)} cdk-nag finding(s): run 'shipway check "
                f"--env {self.plan.name}' to see them"
            )
        return self.synthesized

    def bootstrap(self) -> None:
        """`cdk bootstrap` of the account and region, the first time only."""
        if stacks.exists(self.client("cloudformation"), BOOTSTRAP_STACK):
            return
        target = f"aws://{self.plan.settings.account}/{self.plan.settings.region}"
        with self.progress.step(f"bootstrap the CDK in {target} (once per account and region)"):
            self._cdk("bootstrap", target)

    def deploy_registry(self) -> dict[str, str]:
        """The registry stack, deployed; each built service's and job's repository name."""
        if self.registry is None:
            return {}
        if self._deployed_as_synthesized(self.registry):
            self.progress.result(f"{self.registry}: (no changes) the deployed template is this one")
        else:
            with self.progress.step(f"deploy {self.registry}"):
                self._deploy(self.registry)
        found = stacks.outputs(self.client("cloudformation"), self.registry)
        return {
            name: found[repository_output(name)]
            for name in built_from_source(self.plan)
            if repository_output(name) in found
        }

    def publish(
        self, repositories: dict[str, str], only: list[str] | None = None
    ) -> list[PushedImage]:
        """Build and push each image (service or job) whose content tag its repository lacks."""
        sources = image_sources(self.manifest, self.plan)
        wanted = [
            name
            for name, reference in self.images.items()
            if reference.tag is not None and (not only or name in only)
        ]
        if not wanted:
            return []
        registry = registry_from_environment(ecr_client=self.client("ecr"))
        pushed = []
        for name in wanted:
            tag = self.images[name].tag
            with self.progress.step(f"image {name} ({tag})"):
                # The engine is looked for only when an image has to be built.
                image = publish_image(
                    sources[name],
                    repository=repositories[name],
                    registry=registry,
                    on_line=self.progress.output,
                )
            assert image.tag == tag, "the tag pushed is the tag synthesized"
            self.progress.result(f"{name}: {image.status} {image.uri}")
            pushed.append(image)
        return pushed

    def deploy_stack(self, *, force: bool = False) -> bool:
        """The environment's stack; False when it already runs this very template."""
        if not force and self._deployed_as_synthesized(self.stack):
            self.progress.result(f"{self.stack}: (no changes) the deployed template is this one")
            return False
        with self.progress.step(f"deploy {self.stack}"):
            lines = self._deploy(self.stack)
        return not any("(no changes)" in line for line in lines)

    def _deployed_as_synthesized(self, stack: str) -> bool:
        """The stack is deployed, settled, and its template is the one just synthesized.

        The CDK CLI cannot tell on its own: every stack reads an SSM parameter (the bootstrap
        version; the ECS-optimized AMI for EC2 capacity), so it makes a change set each time.
        `--force` deploys anyway (to pick up a newer AMI, say).
        """
        assert self.synthesized is not None
        summary = (
            self.synthesized.stack_of(self.plan.name)
            if stack == self.stack
            else self.synthesized.registry_of(self.plan.name)
        )
        cloudformation = self.client("cloudformation")
        if summary is None or not stacks.exists(cloudformation, stack):
            return False
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if status not in SETTLED:
            return False
        deployed = cloudformation.get_template(StackName=stack, TemplateStage="Original")
        body = deployed["TemplateBody"]
        wanted: dict[str, Any] = json.loads(summary.template.read_text(encoding="utf-8"))
        found: dict[str, Any] = json.loads(body) if isinstance(body, str) else dict(body)
        return found == wanted

    def verify(self) -> list[ServiceState]:
        """Every ECS service steady on the new task definition; every web URL healthy."""
        states: list[ServiceState] = []
        expected = self._expected_services()
        if expected:
            with self.progress.step("services steady"):
                states = wait_until_steady(
                    self.client("ecs"), expected, timeout=STEADY_SECONDS, on_progress=self._show
                )
            self.progress.result("running: " + ", ".join(state.describe() for state in states))
        for target in self._smoke_targets():
            with self.progress.step(f"smoke test {target.service}: GET {target.url}"):
                status = smoke_test(target, timeout=SMOKE_SECONDS)
            self.progress.result(f"{target.service}: {target.url} answered {status}")
        return states

    def urls(self) -> dict[str, str]:
        """Each web service's URL, from the stack's outputs."""
        found = stacks.outputs(self.client("cloudformation"), self.stack)
        return {
            name: found[f"{pascal(name)}Url"]
            for name in self.plan.services
            if f"{pascal(name)}Url" in found
        }

    def _show(self, states: list[ServiceState]) -> None:
        self.progress.output("  ".join(state.describe() for state in states))

    def _expected_services(self) -> list[ExpectedService]:
        assert self.synthesized is not None, "synthesize first"
        template = stacks.Template.read(
            self.stack, self.synthesized.stack_of(self.plan.name).template
        )
        ids = stacks.physical_ids(self.client("cloudformation"), self.stack)
        expected = []
        for logical_id in template.of_type("AWS::ECS::Service"):
            properties = template.resources[logical_id]["Properties"]
            name = stacks.service_of(self.plan, template, logical_id)
            definition = properties["TaskDefinition"]["Ref"]
            cluster = properties["Cluster"]["Ref"]
            expected.append(
                ExpectedService(
                    name=name or logical_id,
                    cluster=ids[cluster],
                    service=ids[logical_id],
                    task_definition=ids[definition],
                )
            )
        return expected

    def _smoke_targets(self) -> list[SmokeTarget]:
        urls = {**self.urls(), **smoke_base_urls(os.environ.get("SHIPWAY_SMOKE_URLS"))}
        targets = []
        for name, service in self.plan.services.items():
            if name in urls and service.spec.type == "web":
                routing = service.spec.effective_routing.path.rstrip("/")
                base = urls[name].rstrip("/")
                base = base[: -len(routing)] if routing and base.endswith(routing) else base
                check = service.spec.health_check
                targets.append(SmokeTarget(name, base + check.path, check.healthy_codes))
        return targets

    def _deploy(self, stack: str) -> list[str]:
        status, lines = self._cdk(
            "deploy", stack, "--exclusively", "--require-approval", "never", quiet_failure=True
        )
        if status != 0:
            self._raise_failure(stack, lines)
        return lines

    def _raise_failure(self, stack: str, lines: list[str]) -> None:
        assert self.synthesized is not None
        summary = (
            self.synthesized.stack_of(self.plan.name)
            if stack == self.stack
            else self.synthesized.registry_of(self.plan.name)
        )
        causes: list[str] = []
        if summary is not None and stacks.exists(self.client("cloudformation"), stack):
            template = stacks.Template.read(stack, summary.template)
            causes = stacks.failure_causes(
                self.client("cloudformation"), stack, self.plan, template
            )
        shown = causes or [line for line in lines if line.strip()][-5:]
        raise DeployFailedError(f"deploying {stack} failed: " + "; ".join(shown))

    def _cdk(
        self, action: str, *arguments: str, quiet_failure: bool = False
    ) -> tuple[int, list[str]]:
        status, lines = run_cdk(
            action,
            *arguments,
            assembly=self.outdir if action != "bootstrap" else None,
            on_line=self.progress.output,
        )
        if status != 0 and not quiet_failure:
            tail = "; ".join(line for line in lines[-5:] if line.strip())
            raise DeployFailedError(f"cdk {action} failed: {tail}")
        return status, lines


def destroy(release: Release) -> list[str]:
    """Delete the environment's stack, then its registry; empty what would stop the deletion
    first (buckets that are not kept). What CloudFormation keeps is returned, described."""
    assert release.synthesized is not None, "synthesize first"
    cloudformation, s3 = release.client("cloudformation"), release.client("s3")
    kept: list[str] = []
    summaries = [
        (release.stack, release.synthesized.stack_of(release.plan.name)),
        (release.registry, release.synthesized.registry_of(release.plan.name)),
    ]
    for stack, summary in summaries:
        if stack is None or summary is None or not stacks.exists(cloudformation, stack):
            continue
        template = stacks.Template.read(stack, summary.template)
        ids = stacks.physical_ids(cloudformation, stack)
        retained = set(template.retained())
        for logical_id in template.of_type("AWS::S3::Bucket"):
            if logical_id not in retained and logical_id in ids:
                empty_bucket(s3, ids[logical_id])
        kept += [
            f"{template.resources[logical_id]['Type']} {ids[logical_id]}"
            for logical_id in sorted(retained)
            if logical_id in ids
        ]
        with release.progress.step(f"destroy {stack}"):
            release._cdk("destroy", stack, "--exclusively", "--force")
    return kept


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker of bucket; how many there were."""
    deleted = 0
    paginator = s3.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=bucket):
        objects = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        if objects:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
            deleted += len(objects)
    return deleted

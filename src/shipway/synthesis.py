"""Synthesizing a manifest to CloudFormation and summarizing what came out."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.app import build_app
from shipway.compliance.gates import Finding, nag_findings
from shipway.errors import UserError
from shipway.image.built import built_from_source
from shipway.image.infrastructure import registry_stack_name
from shipway.manifest import resolve

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from shipway.deploy.images import ImageReference
    from shipway.manifest import Manifest

    Step = Callable[[str], contextlib.AbstractContextManager[None]]


@contextlib.contextmanager
def no_progress(label: str) -> Iterator[None]:
    """A step that shows nothing (library use, tests)."""
    yield


@dataclass(frozen=True)
class StackSummary:
    """One synthesized stack."""

    name: str
    environment: str
    template: Path
    resources: Counter[str]

    @property
    def resource_count(self) -> int:
        return sum(self.resources.values())


@dataclass
class SynthResult:
    """What synthesis produced: stacks, cdk-nag findings and warnings for the user."""

    outdir: Path
    stacks: list[StackSummary]
    """Each environment's stack, in the order the environments were asked for."""
    registries: list[StackSummary] = field(default_factory=list)
    """Each environment's image registry stack (when it builds images from source)."""
    nag: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def templates(self) -> list[Path]:
        return [stack.template for stack in [*self.stacks, *self.registries]]

    def stack_of(self, environment: str) -> StackSummary:
        return next(stack for stack in self.stacks if stack.environment == environment)

    def registry_of(self, environment: str) -> StackSummary | None:
        return next((stack for stack in self.registries if stack.environment == environment), None)


def synthesize(
    manifest: Manifest,
    environments: list[str],
    *,
    outdir: Path,
    images: Mapping[str, Mapping[str, ImageReference]] | None = None,
    step: Step = no_progress,
) -> SynthResult:
    """Synthesize environments into outdir (replaced) with cdk-nag applied.

    images: what each service runs, by environment; default: the content tag of each service
    built from source (what `shipway deploy` pushes).
    """
    if outdir.exists():
        shutil.rmtree(outdir)
    with step(f"build the CDK app ({', '.join(environments)})"):
        app = build_app(manifest, environments, outdir=outdir, images=images)
    with step("synthesize CloudFormation and run cdk-nag"):
        try:
            app.synth()
        except RuntimeError as error:
            if "ValidationFailed" not in str(error):
                raise UserError(f"synthesis failed: {_first_line(error)}") from None
    plans = [resolve(manifest, name) for name in environments]
    return SynthResult(
        outdir=outdir,
        stacks=[_summary(plan.stack_name, plan.name, outdir) for plan in plans],
        registries=[
            _summary(registry_stack_name(plan), plan.name, outdir)
            for plan in plans
            if built_from_source(plan)
        ],
        nag=nag_findings(outdir),
        warnings=[warning for name in environments for warning in resolve(manifest, name).warnings],
    )


def _summary(name: str, environment: str, outdir: Path) -> StackSummary:
    template = outdir / f"{name}.template.json"
    resources = json.loads(template.read_text(encoding="utf-8")).get("Resources", {})
    return StackSummary(
        name=name,
        environment=environment,
        template=template,
        resources=Counter(resource["Type"] for resource in resources.values()),
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    for line in text.splitlines():
        if line.strip() and not line.startswith("b'"):
            return line.strip()
    return text[:300]

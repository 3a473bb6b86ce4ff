"""Reading shipway.yml into a validated Manifest with one resolved plan per environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from shipway.manifest.application import Application
from shipway.manifest.checks import cross_reference_problems
from shipway.manifest.errors import ManifestError, ManifestIssue, did_you_mean
from shipway.manifest.locate import Locator
from shipway.manifest.plan import EnvironmentPlan
from shipway.manifest.resolve import LOCAL_ENVIRONMENT, resolve_application
from shipway.manifest.yaml_source import read_yaml

if TYPE_CHECKING:
    from shipway.manifest.environment import Environment
    from shipway.manifest.yaml_source import Location, YamlDocument


class UnknownEnvironmentError(ValueError):
    """A command named an environment the manifest does not define."""


@dataclass(frozen=True)
class Manifest:
    """A validated application, where it was written, and its plan for every environment."""

    application: Application
    path: Path
    locator: Locator = field(repr=False)
    plans: dict[str, EnvironmentPlan] = field(repr=False)

    @property
    def name(self) -> str:
        return self.application.name

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def environment_names(self) -> list[str]:
        """The environments the manifest defines, in its order."""
        return list(self.application.environments)

    def environment(self, name: str) -> Environment:
        """The named environment, or a clear error listing those defined."""
        try:
            return self.application.environments[name]
        except KeyError:
            defined = ", ".join(self.application.environments)
            raise UnknownEnvironmentError(
                f"{self.path}: environment '{name}' is not defined"
                f"{did_you_mean(name, self.application.environments)} (defined: {defined})"
            ) from None

    def issue(self, where: Location, message: str) -> ManifestIssue:
        """message located at where (a path from the document's root) in this manifest."""
        return self.locator.issue(where, message, at_key=True)


def resolve(manifest: Manifest, environment: str) -> EnvironmentPlan:
    """The manifest as it is in environment (`dev`: the local run, defined or not)."""
    if environment != LOCAL_ENVIRONMENT:
        manifest.environment(environment)
    return manifest.plans[environment]


def load_manifest(path: Path | str) -> Manifest:
    """Read, validate and resolve a manifest; raise ManifestError with every located issue."""
    return manifest_from(read_yaml(Path(path)))


def manifest_from(document: YamlDocument) -> Manifest:
    """Validate parsed YAML into a Manifest."""
    locator = Locator(document)
    if not isinstance(document.data, dict):
        raise ManifestError(
            [
                ManifestIssue(
                    document.path,
                    1,
                    1,
                    "",
                    "the manifest must be a mapping with at least 'name' and 'environments'",
                )
            ]
        )
    try:
        application = Application.model_validate(document.data)
    except ValidationError as error:
        raise ManifestError(locator.errors(error, Application)) from None
    issues = [
        locator.issue(where, message, at_key=at_key)
        for where, message, at_key in cross_reference_problems(application)
    ]
    try:
        plans = resolve_application(application, locator)
    except ManifestError as error:
        raise ManifestError([*issues, *error.issues]) from None
    if issues:
        raise ManifestError(issues)
    return Manifest(application=application, path=document.path, locator=locator, plans=plans)

"""Reading shipway.yml into a validated, resolved Manifest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from shipway.manifest.application import Application
from shipway.manifest.checks import cross_reference_problems, route_collisions
from shipway.manifest.data import CacheSpec, TableSpec
from shipway.manifest.environment import Environment, is_production
from shipway.manifest.errors import ManifestError, ManifestIssue, did_you_mean
from shipway.manifest.pydantic_errors import issues_from
from shipway.manifest.service import ServiceSpec
from shipway.manifest.yaml_source import Positions, YamlDocument, read_yaml

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "services": ServiceSpec,
    "tables": TableSpec,
    "caches": CacheSpec,
}


class UnknownEnvironmentError(ValueError):
    """A command named an environment the manifest does not define."""


@dataclass(frozen=True)
class Manifest:
    """A validated application with every service resolved for every environment."""

    application: Application
    path: Path
    resolved: dict[str, dict[str, ServiceSpec]] = field(repr=False)

    @property
    def name(self) -> str:
        return self.application.name

    @property
    def directory(self) -> Path:
        return self.path.parent

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

    def services_in(self, environment: str) -> dict[str, ServiceSpec]:
        """Each service with the environment's overrides applied."""
        self.environment(environment)
        return self.resolved[environment]

    def deletion_protection(self, environment: str) -> bool:
        value = self.environment(environment).deletion_protection
        return is_production(environment) if value is None else value

    def requires_approval(self, environment: str) -> bool:
        value = self.environment(environment).requires_approval
        return is_production(environment) if value is None else value


def load_manifest(path: Path | str) -> Manifest:
    """Read, validate and resolve a manifest; raise ManifestError with every located issue."""
    document = read_yaml(Path(path))
    return manifest_from(document)


def manifest_from(document: YamlDocument) -> Manifest:
    """Validate parsed YAML into a Manifest."""
    data = document.data
    if not isinstance(data, dict):
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
        application = Application.model_validate(data)
    except ValidationError as error:
        raise _error(error, document, Application) from None
    issues = [
        _located(document, where, message, at_key)
        for where, message, at_key in cross_reference_problems(application)
    ]
    resolved, override_issues = _resolve(application, document)
    override_issues += _data_override_issues(application, document)
    if not override_issues:  # routes are compared as each environment resolves them
        issues += [
            _located(document, where, message, at_key)
            for where, message, at_key in route_collisions(application, resolved)
        ]
    if issues or override_issues:
        raise ManifestError(issues + override_issues)
    return Manifest(application=application, path=document.path, resolved=resolved)


def _resolve(
    application: Application, document: YamlDocument
) -> tuple[dict[str, dict[str, ServiceSpec]], list[ManifestIssue]]:
    resolved: dict[str, dict[str, ServiceSpec]] = {name: {} for name in application.environments}
    issues: list[ManifestIssue] = []
    for service_name, _service in application.services.items():
        base = document.data["services"][service_name]
        for environment in application.environments:
            override = (base.get("environments") or {}).get(environment) or {}
            merged = _merge({k: v for k, v in base.items() if k != "environments"}, override)
            try:
                resolved[environment][service_name] = ServiceSpec.model_validate(merged)
            except ValidationError as error:
                issues += _override_issues(
                    error, document, service_name, environment, merged, override
                )
    return resolved, issues


def _data_override_issues(application: Application, document: YamlDocument) -> list[ManifestIssue]:
    """Tables and caches must be valid in every environment once its values apply."""
    issues: list[ManifestIssue] = []
    for section in ("tables", "caches"):
        for name, model in getattr(application, section).items():
            for environment in application.environments:
                try:
                    model.in_environment(environment)
                except ValidationError as error:
                    raw = document.data[section][name]
                    override = (raw.get("environments") or {}).get(environment) or {}
                    issues += _override_issues(
                        error, document, name, environment, raw, override, section=section
                    )
    return issues


def _override_issues(
    error: ValidationError,
    document: YamlDocument,
    name: str,
    environment: str,
    merged: dict[str, Any],
    override: dict[str, Any],
    *,
    section: str = "services",
) -> list[ManifestIssue]:
    found = []
    for detail in error.errors():
        in_override = bool(detail["loc"]) and detail["loc"][0] in override
        base = (section, name, "environments", environment) if in_override else (section, name)
        subset = ValidationError.from_exception_data(error.title, [detail])  # type: ignore[list-item]
        for issue in issues_from(
            subset,
            file=document.path,
            positions=document.positions,
            model=SECTION_MODELS[section],
            base=base,
            data=override if in_override else merged,
        ):
            message = f"{issue.message} (in environment '{environment}')"
            found.append(ManifestIssue(issue.file, issue.line, issue.column, issue.path, message))
    return found


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if (
            isinstance(value, dict)
            and isinstance(merged.get(key), dict)
            and key not in {"environment", "secrets"}
        ):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _error(
    error: ValidationError, document: YamlDocument, model: type[Application]
) -> ManifestError:
    issues = issues_from(
        error, file=document.path, positions=document.positions, model=model, data=document.data
    )
    unique: dict[str, ManifestIssue] = {}
    for issue in issues:  # a union reports once per member; keep the first
        unique.setdefault(issue.path, issue)
    return ManifestError(unique.values())


def _located(
    document: YamlDocument, where: tuple[str | int, ...], message: str, at_key: bool
) -> ManifestIssue:
    positions: Positions = document.positions
    line, column = positions.of_key(where) if at_key else positions.of_value(where)
    return ManifestIssue(document.path, line, column, ".".join(map(str, where)), message)

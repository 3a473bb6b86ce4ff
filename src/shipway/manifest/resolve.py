"""Resolving a validated application into one plan per environment, with located errors.

Every section goes through the same steps (the table `SECTIONS`): merge the environment's
override into the entry as written (`shipway.manifest.merge`), refuse overrides of the fields
that must be the same everywhere, validate the result as the section's spec, and name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from shipway.access.grants import expired_access_warnings, today
from shipway.contract import physical_name
from shipway.manifest.checks import route_collisions
from shipway.manifest.data import BucketSpec, CacheSpec, SecretSpec, TableSpec
from shipway.manifest.env_file import EnvFileError, read_env_file
from shipway.manifest.environment import Environment, is_production
from shipway.manifest.errors import ManifestError, ManifestIssue
from shipway.manifest.express import express_warnings
from shipway.manifest.job import JobSpec
from shipway.manifest.merge import apply_environment, override_of
from shipway.manifest.messaging import QueueSpec, TopicSpec
from shipway.manifest.names import construct_id, loader_name
from shipway.manifest.plan import (
    BucketPlan,
    EnvironmentPlan,
    JobPlan,
    QueuePlan,
    Resolved,
    ServicePlan,
)
from shipway.manifest.service import ServiceSpec
from shipway.manifest.uses import use_edges

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.manifest.application import Application
    from shipway.manifest.locate import Locator

LOCAL_ENVIRONMENT = "dev"
"""`shipway dev` runs this environment: its overrides if the manifest defines it, else none."""
LOCAL_SETTINGS = Environment(account="123456789012", region="us-east-1")


@dataclass(frozen=True)
class Section:
    """How one section of the manifest resolves."""

    key: str
    spec: type[BaseModel]
    fixed: tuple[str, ...] = ()
    """Fields that may not differ between environments, and why."""
    why_fixed: str = ""


SECTIONS = (
    Section(
        "services",
        ServiceSpec,
        ("type",),
        "other services reach a service by its type (load balancer or Service Connect)",
    ),
    Section(
        "tables",
        TableSpec,
        ("partition_key", "sort_key", "indexes"),
        "the code reading a table relies on its keys and indexes",
    ),
    Section("caches", CacheSpec),
    Section("buckets", BucketSpec),
    Section("secrets", SecretSpec),
    Section(
        "queues",
        QueueSpec,
        ("fifo",),
        "SQS cannot turn a standard queue into a FIFO one, and its consumers rely on the order",
    ),
    Section(
        "topics",
        TopicSpec,
        ("fifo",),
        "SNS cannot turn a standard topic into a FIFO one, and its queues must match it",
    ),
    Section("jobs", JobSpec),
)


def resolve_application(application: Application, locator: Locator) -> dict[str, EnvironmentPlan]:
    """A plan for each environment (and the local one); ManifestError with every problem."""
    issues: list[ManifestIssue] = list(_naming_issues(application, locator))
    names = list(application.environments)
    if LOCAL_ENVIRONMENT not in names:
        names.append(LOCAL_ENVIRONMENT)
    plans: dict[str, EnvironmentPlan] = {}
    for environment in names:
        resolver = _EnvironmentResolver(application, locator, environment)
        plan = resolver.plan()
        issues += resolver.issues
        if plan is not None:
            plans[environment] = plan
    if not issues:  # routes are compared as each environment resolves them
        issues += [
            locator.issue(where, message, at_key=at_key)
            for where, message, at_key in route_collisions(application, plans)
        ]
    if issues:
        raise ManifestError(_unique(issues))
    return plans


class _EnvironmentResolver:
    """Resolves every section for one environment, collecting located issues."""

    def __init__(self, application: Application, locator: Locator, environment: str) -> None:
        self.application, self.locator, self.environment = application, locator, environment
        self.issues: list[ManifestIssue] = []

    def plan(self) -> EnvironmentPlan | None:
        specs = {section.key: self._section(section) for section in SECTIONS}
        if self.issues:
            return None
        application, environment = self.application, self.environment
        settings = application.environments.get(environment, LOCAL_SETTINGS)
        requires_approval = _default(settings.requires_approval, environment)
        services = {
            name: ServicePlan(
                name=name,
                construct_id=construct_id("services", name),
                physical_name=self._physical(name),
                spec=spec,
                uses=use_edges(application, spec.uses),
                execute_command=_exec_enabled(spec, requires_approval),
                env_file=self._env_path(spec.env_file),
            )
            for name, spec in specs["services"].items()
            if isinstance(spec, ServiceSpec)
        }
        return EnvironmentPlan(
            app=application.name,
            name=environment,
            settings=settings,
            retain=_default(settings.retain_data, environment),
            protect=_default(settings.deletion_protection, environment),
            requires_approval=requires_approval,
            tags=MappingProxyType(dict(application.tags)),
            services=MappingProxyType(services),
            tables=self._entries("tables", specs["tables"]),
            caches=self._entries("caches", specs["caches"]),
            buckets=self._buckets(specs["buckets"]),
            secrets=self._entries("secrets", specs["secrets"]),
            seeds=tuple(application.seed),
            queues=self._queues(specs["queues"]),
            topics=self._entries("topics", specs["topics"]),
            jobs=MappingProxyType(
                {
                    name: JobPlan(
                        name=name,
                        construct_id=construct_id("jobs", name),
                        physical_name=self._physical(name),
                        spec=spec,
                        uses=use_edges(application, spec.uses),
                        env_file=self._env_path(spec.env_file),
                    )
                    for name, spec in specs["jobs"].items()
                    if isinstance(spec, JobSpec)
                }
            ),
            runbook_url=application.runbook_url.rstrip("/") + "/",
            warnings=tuple(self._warnings(services, settings)),
        )

    def _section(self, section: Section) -> dict[str, BaseModel]:
        resolved: dict[str, BaseModel] = {}
        for name, entry in self.locator.data.get(section.key, {}).items():
            override = override_of(entry, self.environment)
            self._fixed_fields(section, name, override)
            merged = apply_environment(entry, self.environment)
            try:
                resolved[name] = section.spec.model_validate(merged)
            except ValidationError as error:
                self.issues += self.locator.override_issues(
                    error,
                    section=section.key,
                    name=name,
                    environment=self.environment,
                    model=section.spec,
                    merged=merged,
                    override=override,
                )
            if isinstance(resolved.get(name), ServiceSpec):
                self._image_files(name, resolved[name], override)  # type: ignore[arg-type]
            if isinstance(resolved.get(name), ServiceSpec | JobSpec):
                self._env_file(section.key, name, resolved[name], override)
        return resolved

    def _image_files(self, name: str, spec: ServiceSpec, override: Any) -> None:
        """A build's context folder and Dockerfile exist (synthesis tags images by content)."""
        build = spec.image.build
        if build is None:
            return
        context = (self.locator.path.parent / build.context).resolve()
        written = "image" in override and "build" in (override.get("image") or {})
        where: tuple[str | int, ...] = ("services", name)
        if written:
            where += ("environments", self.environment)
        if not context.is_dir():
            self.issues.append(
                self.locator.issue(
                    (*where, "image", "build", "context"),
                    f"the build context {build.context!r} is not a folder beside the manifest "
                    f"({context})",
                )
            )
        elif not (context / build.dockerfile).is_file():
            self.issues.append(
                self.locator.issue(
                    (*where, "image", "build", "dockerfile"),
                    f"there is no {build.dockerfile!r} in the build context ({context})",
                )
            )

    def _env_path(self, written: str | None) -> Path | None:
        return None if written is None else (self.locator.path.parent / written).resolve()

    def _env_file(self, section: str, name: str, spec: Any, override: Any) -> None:
        """The env file exists and reads as ECS reads it, with no secret in it."""
        if spec.env_file is None:
            return
        where: tuple[str | int, ...] = (section, name)
        if "env_file" in override:
            where += ("environments", self.environment)
        try:
            read_env_file(self.locator.path.parent / spec.env_file, spec.env_file)
        except EnvFileError as error:
            self.issues.append(self.locator.issue((*where, "env_file"), str(error)))

    def _fixed_fields(self, section: Section, name: str, override: Any) -> None:
        for field in section.fixed:
            if field in override:
                where = (section.key, name, "environments", self.environment, field)
                self.issues.append(
                    self.locator.issue(
                        where,
                        f"'{field}' must be the same in every environment ({section.why_fixed}); "
                        f"remove it from environments.{self.environment}",
                        at_key=True,
                    )
                )

    def _physical(self, name: str) -> str:
        return physical_name(self.application.name, self.environment, name)

    def _entries(self, section: str, specs: dict[str, BaseModel]) -> Any:
        return MappingProxyType(
            {
                name: Resolved(
                    name=name,
                    construct_id=construct_id(section, name),
                    physical_name=self._physical(name),
                    spec=spec,
                )
                for name, spec in specs.items()
            }
        )

    def _queues(self, specs: dict[str, BaseModel]) -> Any:
        return MappingProxyType(
            {
                name: QueuePlan(
                    name=name,
                    construct_id=construct_id("queues", name),
                    physical_name=self._physical(name),
                    spec=spec,
                )
                for name, spec in specs.items()
                if isinstance(spec, QueueSpec)
            }
        )

    def _buckets(self, specs: dict[str, BaseModel]) -> Any:
        app, environment = self.application.name, self.environment
        plans = {}
        for name, spec in specs.items():
            assert isinstance(spec, BucketSpec)
            plans[name] = BucketPlan(
                name=name,
                construct_id=construct_id("buckets", name),
                physical_name=self._physical(name),
                spec=spec,
                loader_name=loader_name(app, environment, name) if spec.loader else None,
            )
        return MappingProxyType(plans)

    def _warnings(self, services: dict[str, ServicePlan], settings: Environment) -> list[str]:
        if self.environment not in self.application.environments:
            return []  # the local run: nothing here reaches the cloud
        warnings = [
            warning
            for name, service in services.items()
            for warning in express_warnings(name, service.spec)
        ]
        web = [name for name, service in services.items() if service.spec.is_load_balanced]
        if web and settings.domain is None:
            warnings.append(
                f"{self.environment}: no domain configured, so the load balancer serves plain "
                f"HTTP to {', '.join(web)}; set environments.{self.environment}.domain for HTTPS"
            )
        if settings.network is not None:
            warnings.append(
                f"{self.environment}: runs in the existing VPC {settings.network.vpc_id}; its "
                "owner keeps its flow logs and the private subnets' route to AWS APIs (NAT or "
                "VPC endpoints for ECR, CloudWatch Logs, Secrets Manager, SSM, SSM Messages, S3, "
                "DynamoDB)"
            )
        warnings += expired_access_warnings(
            self.application.name, self.environment, settings, today()
        )
        return warnings


def _default(value: bool | None, environment: str) -> bool:
    return is_production(environment) if value is None else value


def _exec_enabled(spec: ServiceSpec, requires_approval: bool) -> bool:
    # Where a deploy needs no approval, people debug: ECS Exec is on unless the manifest says.
    # Express Mode has no ECS Exec (asking for it there is a validation error).
    if spec.compute == "express":
        return False
    return not requires_approval if spec.exec is None else spec.exec


def _naming_issues(application: Application, locator: Locator) -> list[ManifestIssue]:
    """Two entries of a section with one construct id; a name a loader already takes."""
    issues = []
    for section in SECTIONS:
        seen: dict[str, str] = {}
        for name in getattr(application, section.key):
            identifier = construct_id(section.key, name)
            if identifier in seen:
                issues.append(
                    locator.issue(
                        (section.key, name),
                        f"'{name}' and '{seen[identifier]}' would both be {identifier} in "
                        "CloudFormation (ids drop hyphens); rename one of them",
                        at_key=True,
                    )
                )
            seen.setdefault(identifier, name)
    loaders = {
        f"{name}-loader": name for name, bucket in application.buckets.items() if bucket.loader
    }
    for section in SECTIONS:
        for name in getattr(application, section.key):
            if name in loaders:
                issues.append(
                    locator.issue(
                        (section.key, name),
                        f"'{name}' is the name shipway gives bucket '{loaders[name]}''s loader "
                        "(its queue, function and alarms); choose another name",
                        at_key=True,
                    )
                )
    return issues


def _unique(issues: list[ManifestIssue]) -> list[ManifestIssue]:
    seen: dict[tuple[int, int, str], ManifestIssue] = {}
    for issue in issues:
        seen.setdefault((issue.line, issue.column, issue.message), issue)
    return list(seen.values())

"""The task's other containers: sidecars, the FireLens log router, and who waits for whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from shipway.deploy.images import ImageReference
from shipway.manifest.containers import LOG_ROUTER, MAIN_CONTAINER
from shipway.manifest.names import pascal
from shipway.service.image import ServiceImage
from shipway.service.secrets import referenced_secret

if TYPE_CHECKING:
    from aws_cdk import aws_logs as logs

    from shipway.manifest import ServiceSpec
    from shipway.manifest.containers import Sidecar, SidecarHealthCheck

TMP_VOLUME = "tmp"
CONDITIONS = {
    "START": ecs.ContainerDependencyCondition.START,
    "HEALTHY": ecs.ContainerDependencyCondition.HEALTHY,
    "COMPLETE": ecs.ContainerDependencyCondition.COMPLETE,
    "SUCCESS": ecs.ContainerDependencyCondition.SUCCESS,
}


class TaskLogging:
    """How each container of a service's task logs: awslogs with its own stream prefix, or
    through the FireLens router when the manifest asks for `logging: {destination: firelens}`."""

    def __init__(self, service: str, spec: ServiceSpec, log_group: logs.ILogGroup) -> None:
        self.service, self.spec, self.log_group = service, spec, log_group

    def driver(self, container: str) -> ecs.LogDriver:
        """The log driver of one container (the router itself always writes to awslogs)."""
        if self.spec.logging is not None and container != LOG_ROUTER:
            return ecs.LogDrivers.firelens(options=self._firelens_options())
        # the main container keeps the service's name as its prefix, as before sidecars existed
        prefix = self.service if container == MAIN_CONTAINER else f"{self.service}-{container}"
        return ecs.LogDrivers.aws_logs(
            stream_prefix=prefix, log_group=self.log_group, mode=ecs.AwsLogDriverMode.NON_BLOCKING
        )

    def _firelens_options(self) -> dict[str, str]:
        assert self.spec.logging is not None
        into_own_group = {
            "Name": "cloudwatch_logs",
            "region": cdk.Aws.REGION,
            "log_group_name": self.log_group.log_group_name,
            "log_stream_prefix": f"{self.service}/",
            "auto_create_group": "false",
        }
        return self.spec.logging.options or into_own_group

    def add_router(self, definition: ecs.TaskDefinition) -> ecs.FirelensLogRouter | None:
        """The Fluent Bit container the others log through, if the manifest asks for one."""
        routing = self.spec.logging
        if routing is None:
            return None
        router = definition.add_firelens_log_router(
            "LogRouter",
            container_name=LOG_ROUTER,
            image=ecs.ContainerImage.from_registry(routing.image),
            firelens_config=ecs.FirelensConfig(type=ecs.FirelensLogRouterType.FLUENTBIT),
            essential=True,
            logging=self.driver(LOG_ROUTER),
            readonly_root_filesystem=True,
        )
        writable_tmp(router)
        if not routing.options:  # the default output writes into the service's log group
            self.log_group.grant_write(definition.task_role)
        return router


def add_sidecars(
    scope: Construct,
    definition: ecs.TaskDefinition,
    spec: ServiceSpec,
    logging: TaskLogging,
) -> dict[str, ecs.ContainerDefinition]:
    """Each `sidecars:` entry as a container of definition, by its name."""
    containers = {}
    for name, sidecar in spec.sidecars.items():
        # its own scope: two containers may name the same variable for different secrets
        own = Construct(scope, f"Sidecar{pascal(name)}")
        # an image in ECR gets its pull rights, as the service's own image does
        image = ServiceImage(
            own, "Image", reference=ImageReference(uri=sidecar.image), repository=None
        )
        container = definition.add_container(
            name,
            container_name=name,
            image=image.image,
            essential=sidecar.essential,
            command=sidecar.command,
            port_mappings=_ports(name, sidecar),
            logging=logging.driver(name),
            readonly_root_filesystem=sidecar.readonly_root_filesystem,
            environment=dict(sidecar.environment),
            health_check=_health_check(sidecar.health_check),
            stop_timeout=cdk.Duration.seconds(30),
        )
        for variable, reference in sorted(sidecar.secrets.items()):
            container.add_secret(variable, referenced_secret(own, variable, reference))
        if sidecar.readonly_root_filesystem:
            writable_tmp(container)
        containers[name] = container
    return containers


def link_dependencies(spec: ServiceSpec, containers: dict[str, ecs.ContainerDefinition]) -> None:
    """`depends_on` of the main container and of each sidecar, as container dependencies."""
    wanted = {MAIN_CONTAINER: spec.depends_on} | {
        name: sidecar.depends_on for name, sidecar in spec.sidecars.items()
    }
    for name, needs in wanted.items():
        for target, condition in sorted(needs.items()):
            containers[name].add_container_dependencies(
                ecs.ContainerDependency(
                    container=containers[target], condition=CONDITIONS[condition]
                )
            )


def writable_tmp(container: ecs.ContainerDefinition) -> None:
    """A writable /tmp on the task's scratch volume: a read-only root still needs one."""
    container.add_mount_points(
        ecs.MountPoint(container_path="/tmp", source_volume=TMP_VOLUME, read_only=False)  # noqa: S108
    )


def _ports(name: str, sidecar: Sidecar) -> list[ecs.PortMapping]:
    if sidecar.port is None:
        return []
    return [ecs.PortMapping(container_port=sidecar.port, name=name)]


def _health_check(check: SidecarHealthCheck | None) -> ecs.HealthCheck | None:
    if check is None:
        return None
    return ecs.HealthCheck(
        command=list(check.command),
        interval=cdk.Duration.seconds(check.interval),
        timeout=cdk.Duration.seconds(check.timeout),
        retries=check.retries,
        start_period=cdk.Duration.seconds(check.grace_period),
    )

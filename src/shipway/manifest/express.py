"""What ECS Express Mode can honour of a service, and what it cannot (an error, never a drop).

Express Mode (AWS::ECS::ExpressGatewayService) takes a primary container (image, port,
environment, secrets, logs), a health check path, a size and one scaling metric. It brings its own
load balancer, so there is no path or host routing, no deployment strategy to choose, no
container settings for a read-only root filesystem or a user, and no ECS Exec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipway.manifest.service import ServiceSpec

SCALING_METRICS = ("cpu", "memory", "requests_per_target")
ELSEWHERE = "or use compute: fargate"


def apply_compute_rules(spec: ServiceSpec) -> None:
    """Express's rules for an Express service; for any other, no Express acknowledgement."""
    if spec.compute == "express":
        apply_express_rules(spec)
    elif spec.accept_express_limits:
        raise ValueError(
            "accept_express_limits: only an Express service has those limits; remove it "
            "(this service's tasks run in private subnets behind the logged load balancer)"
        )


def apply_express_rules(spec: ServiceSpec) -> None:
    """Raise ValueError('<field>: why') for what Express cannot do; resolve its defaults."""
    if spec.type != "web":
        raise ValueError(
            "type: Express Mode serves a public web service through its own load balancer; "
            "run a backend with compute: fargate"
        )
    if spec.routing is not None:
        raise ValueError(
            "routing: an Express service gets its own load balancer and URL, so path and host "
            f"routing do not apply; remove routing {ELSEWHERE}"
        )
    if spec.deployment.strategy != "rolling":
        raise ValueError(
            "deployment: Express Mode manages its own deployments; use 'rolling' (the default)"
        )
    if spec.entrypoint is not None:
        raise ValueError(
            "entrypoint: Express Mode sets only the container's command; put the whole command "
            f"in 'command' {ELSEWHERE}"
        )
    if spec.exec:
        raise ValueError(
            "exec: Express Mode has no ECS Exec (an Express service takes no "
            f"enableExecuteCommand); remove exec, set it to false for this environment, {ELSEWHERE}"
        )
    _one_container(spec)
    _health_check(spec)
    _scaling(spec)
    _container(spec)
    if not spec.accept_express_limits:
        raise ValueError(
            "accept_express_limits: Express Mode owns its load balancer, which cannot write "
            "access logs, and one subnet list serves it and the tasks, so an internet-facing "
            "service runs its tasks in public subnets; write 'accept_express_limits: true' to "
            f"accept both (the WAF still guards it) {ELSEWHERE}"
        )


def _one_container(spec: ServiceSpec) -> None:
    """Express Mode runs exactly one container, on x86_64, configured inline."""
    for field, what in (
        ("sidecars", "runs one container, so it cannot have sidecars"),
        ("depends_on", "runs one container, with nothing to depend on"),
        ("logging", "sends the container's logs to CloudWatch itself (no FireLens router)"),
        ("env_file", "takes environment variables inline only (no environment files)"),
    ):
        if getattr(spec, field):
            raise ValueError(f"{field}: Express Mode {what}; remove {field} {ELSEWHERE}")
    if spec.platform != "x86_64":
        raise ValueError(
            f"platform: Express Mode runs x86_64 tasks only; remove platform {ELSEWHERE}"
        )


def _health_check(spec: ServiceSpec) -> None:
    written = spec.health_check.model_fields_set - {"path"}
    if written:
        field = sorted(written)[0]
        raise ValueError(
            f"health_check: Express Mode checks only the path; remove health_check.{field} "
            f"{ELSEWHERE}"
        )


def _scaling(spec: ServiceSpec) -> None:
    scaling = spec.autoscaling
    if scaling is None:
        return
    chosen = [
        metric
        for metric in SCALING_METRICS
        if metric in scaling.model_fields_set and getattr(scaling, metric) is not None
    ]
    if len(chosen) > 1:
        raise ValueError(
            f"autoscaling: Express Mode scales on one metric, and {' and '.join(chosen)} are "
            "both set; keep one of cpu, memory, requests_per_target"
        )
    if chosen and chosen[0] != "cpu":
        object.__setattr__(scaling, "cpu", None)  # the default CPU target yields to the choice
    if all(getattr(scaling, metric) is None for metric in SCALING_METRICS):
        raise ValueError(
            "autoscaling: Express Mode needs one metric to scale on: cpu, memory or "
            "requests_per_target"
        )


def _container(spec: ServiceSpec) -> None:
    written = spec.model_fields_set
    if "readonly_root_filesystem" in written and spec.readonly_root_filesystem:
        raise ValueError(
            "readonly_root_filesystem: Express Mode's container has no read-only root "
            f"filesystem setting; set it to false {ELSEWHERE}"
        )
    if "user" in written and spec.user is not None:
        raise ValueError(
            "user: Express Mode runs the container as its image's USER; set user: null and "
            f"set USER in the Dockerfile, {ELSEWHERE}"
        )
    # Not written: shipway's defaults, which Express cannot apply. The plan warns about them.
    object.__setattr__(spec, "readonly_root_filesystem", False)
    object.__setattr__(spec, "user", None)


def express_warnings(name: str, spec: ServiceSpec) -> list[str]:
    """What an Express service runs without that a Fargate service would have by default."""
    if spec.compute != "express":
        return []
    warnings = []  # its load balancer's limits are accepted in the manifest, not warned about
    if not {"readonly_root_filesystem", "user"} <= spec.model_fields_set:
        warnings.append(
            f"service {name}: Express Mode runs the container as its image's USER with a "
            "writable root filesystem (no read-only root or user setting); write "
            "'readonly_root_filesystem: false' and 'user: null' to acknowledge it, or use "
            "compute: fargate"
        )
    return warnings

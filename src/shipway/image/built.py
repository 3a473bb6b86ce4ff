"""Which workloads shipway builds an image for: services and jobs with `image.build`.

Apart from the registry's CDK code so that deciding it imports no CDK (`shipway push`, the
pipelines' `--image` checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipway.manifest import EnvironmentPlan
    from shipway.manifest.plan import JobPlan, ServicePlan


def built_from_source(plan: EnvironmentPlan) -> list[str]:
    """The services, then the jobs, whose image shipway builds, in manifest order (a name is
    one workload's only: the manifest shares names across its sections)."""
    return [
        *(name for name, service in plan.services.items() if service.spec.image.build),
        *(name for name, job in plan.jobs.items() if job.spec.image.build),
    ]


def built_workload(plan: EnvironmentPlan, name: str) -> ServicePlan | JobPlan:
    """The service or job called name."""
    return plan.services[name] if name in plan.services else plan.jobs[name]


def workload_kind(plan: EnvironmentPlan, name: str) -> str:
    """'service' or 'job'."""
    return "service" if name in plan.services else "job"

"""Checks that span several parts of a manifest: references, names and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.manifest.errors import did_you_mean
from shipway.manifest.service import BucketUse, QueueUse, Service, TableUse, TopicUse
from shipway.manifest.yaml_source import Location

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from shipway.manifest.application import Application
    from shipway.manifest.job import Job
    from shipway.manifest.plan import EnvironmentPlan

SECTIONS = ("services", "tables", "caches", "buckets", "secrets", "queues", "topics", "jobs")
NAMESPACES = (
    ("services", "jobs", "tables", "caches", "buckets", "secrets"),
    ("queues", "topics"),
)
"""Names unique within each group: a bare name in `uses` names one of the first group, while
queues and topics are always named by their kind ({queue: NAME}, {topic: NAME}), so a topic
and a table may both be called `orders`."""

Problem = tuple[Location, str, bool]
"""(where, message, point at the key rather than the value)"""


def cross_reference_problems(app: Application) -> Iterator[Problem]:
    """Every reference to a name the manifest does not define, and every clash."""
    yield from _name_clashes(app)
    yield from _override_environments(app)
    for name, service in app.services.items():
        yield from _service_uses(app, name, service)
    for name, bucket in app.buckets.items():
        if bucket.loader and bucket.loader.table not in app.tables:
            yield (
                ("buckets", name, "loader", "table"),
                _unknown("table", bucket.loader.table, app.tables),
                False,
            )
    for index, seed in enumerate(app.seed):
        yield from _seed(app, index, seed.bucket)
    for name in app.topics:
        yield from _subscriptions(app, name)
    for name, job in app.jobs.items():
        yield from _service_uses(app, name, job, section="jobs")
        if job.image.service is not None and job.image.service not in app.services:
            where: Location = ("jobs", name, "image", "service")
            yield (where, _unknown("service", job.image.service, app.services), False)
        elif job.image.service is not None:
            yield from _job_platform(app, name, job)


def _job_platform(app: Application, name: str, job: Job) -> Iterator[Problem]:
    """A job runs its service's image, which is built for the service's platform only."""
    service = app.services[str(job.image.service)]
    if job.platform != service.platform:
        written = "platform" in job.model_fields_set
        yield (
            ("jobs", name, "platform") if written else ("jobs", name),
            f"{job.platform} does not match service '{job.image.service}', whose image it runs "
            f"and which is built for {service.platform}; set the job's platform to "
            f"{service.platform}",
            not written,
        )


def _unknown(kind: str, name: str, defined: Mapping[str, object]) -> str:
    listing = ", ".join(sorted(defined)) or "none defined"
    return f"{kind} '{name}' is not defined{did_you_mean(name, defined)} ({kind}s: {listing})"


def _name_clashes(app: Application) -> Iterator[Problem]:
    for sections in NAMESPACES:
        seen: dict[str, str] = {}
        shared = ", ".join(sections[:-1]) + f" and {sections[-1]}"
        for section in sections:
            for name in getattr(app, section):
                if name in seen:
                    yield (
                        (section, name),
                        f"'{name}' is already the name of one of the {seen[name]}; names are "
                        f"shared by {shared} so that 'uses' is unambiguous",
                        True,
                    )
                seen.setdefault(name, section)


def _override_environments(app: Application) -> Iterator[Problem]:
    for section in SECTIONS:
        for name, model in getattr(app, section).items():
            for environment in model.environments:
                if environment not in app.environments:
                    yield (
                        (section, name, "environments", environment),
                        _unknown("environment", environment, app.environments),
                        True,
                    )


def _service_uses(
    app: Application, name: str, service: Service | Job, section: str = "services"
) -> Iterator[Problem]:
    for index, use in enumerate(service.uses):
        where: Location = (section, name, "uses", index)
        if not isinstance(use, str):
            kind = _KIND_OF_USE[type(use)]
            target = getattr(use, kind)
            defined = getattr(app, f"{kind}s")
            if target not in defined:
                yield ((*where, kind), _unknown(kind, target, defined), False)
        elif use == name:
            yield (where, f"a service cannot use itself ('{use}')", False)
        elif use not in _usable(app) and (messaging := _messaging_kind(app, use)):
            access = "access: send | consume" if messaging == "queue" else "to publish"
            yield (
                where,
                f"'{use}' is a {messaging}: name it as {{{messaging}: {use}}} ({access})",
                False,
            )
        elif use not in _usable(app):
            yield (
                where,
                _unknown("name", use, _usable(app)).replace(
                    "names:", "services, tables, caches, buckets and secrets:"
                ),
                False,
            )


_KIND_OF_USE: dict[type, str] = {
    TableUse: "table",
    BucketUse: "bucket",
    QueueUse: "queue",
    TopicUse: "topic",
}
"""The field of a `{kind: NAME}` use that names the entry, and its section (`<kind>s`)."""


def _usable(app: Application) -> dict[str, object]:
    return {
        **app.services,
        **app.tables,
        **app.caches,
        **app.buckets,
        **app.secrets,
    }


def _messaging_kind(app: Application, name: str) -> str | None:
    if name in app.queues:
        return "queue"
    return "topic" if name in app.topics else None


def _subscriptions(app: Application, topic_name: str) -> Iterator[Problem]:
    """Each subscription names a queue, once, of the topic's kind (FIFO or standard)."""
    topic = app.topics[topic_name]
    seen: set[str] = set()
    for index, subscription in enumerate(topic.subscriptions):
        where: Location = ("topics", topic_name, "subscriptions", index, "queue")
        queue = app.queues.get(subscription.queue)
        if queue is None:
            yield (where, _unknown("queue", subscription.queue, app.queues), False)
        elif subscription.queue in seen:
            yield (where, f"queue '{subscription.queue}' is already subscribed", False)
        elif queue.fifo != topic.fifo:
            kinds = {True: "FIFO", False: "standard"}
            yield (
                where,
                f"queue '{subscription.queue}' is {kinds[queue.fifo]} but topic '{topic_name}' "
                f"is {kinds[topic.fifo]}: SNS delivers a FIFO topic only to FIFO queues, and a "
                "standard topic only to standard queues",
                False,
            )
        seen.add(subscription.queue)


def _seed(app: Application, index: int, bucket: str) -> Iterator[Problem]:
    if bucket not in app.buckets:
        yield (("seed", index, "bucket"), _unknown("bucket", bucket, app.buckets), False)
    elif app.buckets[bucket].loader is None:
        yield (
            ("seed", index, "bucket"),
            f"bucket '{bucket}' has no loader, so seed data would never reach a table",
            False,
        )


def route_collisions(app: Application, plans: Mapping[str, EnvironmentPlan]) -> Iterator[Problem]:
    """The first web service whose route (host, path) another already has, in any env."""
    for plan in plans.values():
        claimed: dict[tuple[str | None, str], str] = {}
        for service in plan.load_balanced:
            name, routing = service.name, service.spec.effective_routing
            route = (routing.host, routing.path.rstrip("/") or "/")
            if route in claimed:
                written = app.services[name].routing is not None
                host = f" on host {route[0]}" if route[0] else ""
                yield (
                    ("services", name, "routing", "path") if written else ("services", name),
                    f"path {route[1]}{host} is already routed to service "
                    f"'{claimed[route]}'; give one of them a distinct routing.path or "
                    "routing.host",
                    not written,
                )
                return
            claimed[route] = name

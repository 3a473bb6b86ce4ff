"""Checks that span several parts of a manifest: references, names and routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.manifest.errors import did_you_mean
from shipway.manifest.service import BucketUse, Service, TableUse
from shipway.manifest.yaml_source import Location

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from shipway.manifest.application import Application
    from shipway.manifest.plan import EnvironmentPlan

SECTIONS = ("services", "tables", "caches", "buckets", "secrets")

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


def _unknown(kind: str, name: str, defined: Mapping[str, object]) -> str:
    listing = ", ".join(sorted(defined)) or "none defined"
    return f"{kind} '{name}' is not defined{did_you_mean(name, defined)} ({kind}s: {listing})"


def _name_clashes(app: Application) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for section in SECTIONS:
        for name in getattr(app, section):
            if name in seen:
                yield (
                    (section, name),
                    f"'{name}' is already the name of one of the "
                    f"{seen[name]}; names are shared by services, tables, caches, buckets "
                    "and secrets so that 'uses' is unambiguous",
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


def _service_uses(app: Application, name: str, service: Service) -> Iterator[Problem]:
    for index, use in enumerate(service.uses):
        where: Location = ("services", name, "uses", index)
        if isinstance(use, TableUse):
            if use.table not in app.tables:
                yield ((*where, "table"), _unknown("table", use.table, app.tables), False)
        elif isinstance(use, BucketUse):
            if use.bucket not in app.buckets:
                yield ((*where, "bucket"), _unknown("bucket", use.bucket, app.buckets), False)
        elif use == name:
            yield (where, f"a service cannot use itself ('{use}')", False)
        elif use not in _usable(app):
            yield (
                where,
                _unknown("name", use, _usable(app)).replace(
                    "names:", "services, tables, caches, buckets and secrets:"
                ),
                False,
            )


def _usable(app: Application) -> dict[str, object]:
    return {**app.services, **app.tables, **app.caches, **app.buckets, **app.secrets}


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

"""A service's `uses` as typed edges: the one place that decides what each entry names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.manifest.plan import Use
from shipway.manifest.service import BucketUse, QueueUse, TableUse, TopicUse

if TYPE_CHECKING:
    from collections.abc import Iterable

    from shipway.manifest.application import Application
    from shipway.manifest.service import Use as UseEntry

# A bare name gets the access that kind of thing offers by default.
BARE_NAME_USES: tuple[tuple[str, str, str], ...] = (
    ("tables", "table", "read_write"),
    ("buckets", "bucket", "read_write"),
    ("caches", "cache", "read_write"),
    ("secrets", "secret", "read"),
    ("services", "service", "call"),
)
# Queues and topics are named with their kind ({queue: NAME, access}, {topic: NAME}): a queue's
# access is not obvious, and their names may repeat those of tables or services.


def use_edges(application: Application, entries: Iterable[UseEntry]) -> tuple[Use, ...]:
    """Each entry as an edge; entries naming nothing defined are left to the checks."""
    edges: list[Use] = []
    for entry in entries:
        edge = _edge(application, entry)
        if edge is not None and edge not in edges:
            edges.append(edge)
    return tuple(edges)


def _edge(application: Application, entry: UseEntry) -> Use | None:
    if isinstance(entry, TableUse):
        return Use("table", entry.table, entry.access)
    if isinstance(entry, BucketUse):
        return Use("bucket", entry.bucket, entry.access)
    if isinstance(entry, QueueUse):
        return Use("queue", entry.queue, entry.access)
    if isinstance(entry, TopicUse):
        return Use("topic", entry.topic, "publish")
    for section, kind, access in BARE_NAME_USES:
        if entry in getattr(application, section):
            return Use(kind, entry, access)  # type: ignore[arg-type]  # literals from the table
    return None

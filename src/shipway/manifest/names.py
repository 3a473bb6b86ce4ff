"""The names a manifest entry is known by in CloudFormation and in AWS, made in one place."""

from __future__ import annotations

from shipway.contract import physical_name

SECTION_PREFIXES = {
    "services": "Service",
    "tables": "Table",
    "caches": "Cache",
    "buckets": "Bucket",
    "secrets": "Secret",
    "queues": "Queue",
    "topics": "Topic",
    "jobs": "Job",
}
"""A section's entries live in the stack as `<prefix><PascalName>`; no fixed construct of the
stack starts with one of these prefixes, so only two entries of one section can collide."""
MAX_BUCKET_NAME = 63
"""S3's limit; the cloud side shortens `<app>-<env>-<name>` plus its suffix to fit."""


def pascal(name: str) -> str:
    """`users-import` -> `UsersImport`: a manifest name as part of a construct id."""
    return name.title().replace("-", "")


def construct_id(section: str, name: str) -> str:
    """`("services", "web-2")` -> `ServiceWeb2`: where an entry lives in its stack."""
    return SECTION_PREFIXES[section] + pascal(name)


def loader_name(app: str, environment: str, bucket: str) -> str:
    """`<app>-<env>-<bucket>-loader`: the loader's queue, function and alarms."""
    return physical_name(app, environment, f"{bucket}-loader")

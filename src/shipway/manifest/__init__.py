"""The user's language: shipway.yml, its models, its loading with located errors, its schema,
and its resolution into one plan per environment."""

from shipway.manifest.application import Application
from shipway.manifest.data import (
    Bucket,
    BucketSpec,
    Cache,
    CacheSpec,
    Secret,
    SecretSpec,
    Table,
    TableSpec,
)
from shipway.manifest.environment import Environment
from shipway.manifest.errors import ManifestError, ManifestIssue
from shipway.manifest.loading import Manifest, UnknownEnvironmentError, load_manifest, resolve
from shipway.manifest.plan import (
    BucketPlan,
    CachePlan,
    EnvironmentPlan,
    Resolved,
    SecretPlan,
    ServicePlan,
    TablePlan,
    Use,
)
from shipway.manifest.resolve import LOCAL_ENVIRONMENT
from shipway.manifest.service import Service, ServiceSpec

__all__ = [
    "LOCAL_ENVIRONMENT",
    "Application",
    "Bucket",
    "BucketPlan",
    "BucketSpec",
    "Cache",
    "CachePlan",
    "CacheSpec",
    "Environment",
    "EnvironmentPlan",
    "Manifest",
    "ManifestError",
    "ManifestIssue",
    "Resolved",
    "Secret",
    "SecretPlan",
    "SecretSpec",
    "Service",
    "ServicePlan",
    "ServiceSpec",
    "Table",
    "TablePlan",
    "TableSpec",
    "UnknownEnvironmentError",
    "Use",
    "load_manifest",
    "resolve",
]

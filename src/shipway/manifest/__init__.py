"""The user's language: shipway.yml, its models, its loading with located errors, its schema."""

from shipway.manifest.application import Application
from shipway.manifest.data import Bucket, Cache, Secret, Table
from shipway.manifest.environment import Environment
from shipway.manifest.errors import ManifestError, ManifestIssue
from shipway.manifest.loading import Manifest, UnknownEnvironmentError, load_manifest
from shipway.manifest.service import Service, ServiceSpec

__all__ = [
    "Application",
    "Bucket",
    "Cache",
    "Environment",
    "Manifest",
    "ManifestError",
    "ManifestIssue",
    "Secret",
    "Service",
    "ServiceSpec",
    "Table",
    "UnknownEnvironmentError",
    "load_manifest",
]

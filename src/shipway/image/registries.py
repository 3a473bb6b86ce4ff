"""Where images go: a service's ECR repository, or a plain registry named by SHIPWAY_REGISTRY.

``SHIPWAY_REGISTRY=host:port`` sends `<repository>:<tag>` to `host:port/<repository>:<tag>`
instead of `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`: a mirror, or the local
registry of a rehearsal. Either way a registry answers three questions: the repository's URI,
whether a tag is already there (then its digest), and what to log in with.
"""

from __future__ import annotations

import base64
import http.client
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from shipway.image.errors import RegistryLoginError, RepositoryNotFoundError

if TYPE_CHECKING:
    from collections.abc import Mapping

# Everything a tag may point at; a registry answers 404 for a type it is not asked for.
MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)
LOOPBACK_HOSTS = ("localhost", "127.", "[::1]")


@dataclass(frozen=True)
class Credentials:
    """A registry login; the password only ever goes to the engine's standard input."""

    registry: str
    username: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(registry={self.registry!r}, username={self.username!r}, password=***)"


class Registry(Protocol):
    """What pushing needs from a registry."""

    tls: bool

    def repository_uri(self, repository: str) -> str: ...

    def existing_digest(self, repository: str, tag: str) -> str | None: ...

    def credentials(self) -> Credentials | None: ...


class EcrRegistry:
    """The account's ECR registry in the client's region (AWS_ENDPOINT_URL is honoured)."""

    tls = True

    def __init__(self, client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("ecr")
        self.client = client

    def repository_uri(self, repository: str) -> str:
        try:
            found = self.client.describe_repositories(repositoryNames=[repository])
        except self.client.exceptions.RepositoryNotFoundException:
            raise RepositoryNotFoundError(
                f"the ECR repository {repository} does not exist in "
                f"{self.client.meta.region_name}: deploy the environment's registry first"
            ) from None
        return str(found["repositories"][0]["repositoryUri"])

    def existing_digest(self, repository: str, tag: str) -> str | None:
        try:
            found = self.client.describe_images(
                repositoryName=repository, imageIds=[{"imageTag": tag}]
            )
        except self.client.exceptions.ImageNotFoundException:
            return None
        return str(found["imageDetails"][0]["imageDigest"])

    def credentials(self) -> Credentials:
        data = self.client.get_authorization_token()["authorizationData"][0]
        username, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
        if not password:
            raise RegistryLoginError("ECR returned an authorization token without a password")
        registry = data["proxyEndpoint"].removeprefix("https://").removeprefix("http://")
        return Credentials(registry=registry, username=username, password=password)


class PlainRegistry:
    """A registry speaking the Docker registry HTTP API at host:port (plain HTTP on loopback)."""

    def __init__(self, host: str) -> None:
        self.host = host.removeprefix("http://").removeprefix("https://").rstrip("/")
        self.tls = not self.host.startswith(LOOPBACK_HOSTS)

    def repository_uri(self, repository: str) -> str:
        return f"{self.host}/{repository}"

    def existing_digest(self, repository: str, tag: str) -> str | None:
        """`HEAD /v2/<name>/manifests/<tag>`: its Docker-Content-Digest, or None on 404."""
        connection_class = http.client.HTTPSConnection if self.tls else http.client.HTTPConnection
        connection = connection_class(self.host, timeout=30)
        try:
            connection.request(
                "HEAD", f"/v2/{repository}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES}
            )
            response = connection.getresponse()
            response.read()
        except OSError as error:
            raise RegistryLoginError(f"the registry {self.host} did not answer: {error}") from None
        finally:
            connection.close()
        if response.status == 404:
            return None
        digest = response.getheader("Docker-Content-Digest")
        if response.status != 200 or not digest:
            raise RegistryLoginError(
                f"the registry {self.host} answered {response.status} when asked for "
                f"{repository}:{tag}; check SHIPWAY_REGISTRY"
            )
        return digest

    def credentials(self) -> None:
        return None  # a mirror or a rehearsal's registry takes anonymous pushes


def registry_from_environment(
    environ: Mapping[str, str] | None = None, *, ecr_client: Any = None
) -> Registry:
    """SHIPWAY_REGISTRY's registry when set, else ECR."""
    environ = os.environ if environ is None else environ
    override = environ.get("SHIPWAY_REGISTRY", "").strip()
    if override:
        return PlainRegistry(override)
    return EcrRegistry(ecr_client)

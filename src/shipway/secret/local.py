"""Secrets for `shipway dev`: random values if generated, else from `.shipway/secrets.env`."""

from __future__ import annotations

import secrets as random_source
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.dev.errors import MissingSecretError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_ssm import SSMClient

    from shipway.manifest import EnvironmentPlan, SecretSpec

SSM_PREFIX = "ssm:"
ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class LocalSecrets:
    """Every secret value a local run needs."""

    values: dict[str, str]
    """Manifest secrets (`secrets:` section) by name."""
    referenced: dict[str, str]
    """Values of services' `secrets: {VAR: reference}` entries, by reference."""


def read_secrets_env(path: Path) -> dict[str, str]:
    """`name=value` lines; blank lines and `#` comments are skipped, quotes are removed."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def random_value(length: int) -> str:
    """A random secret of letters and digits."""
    return "".join(random_source.choice(ALPHABET) for _ in range(length))


def manifest_secret_value(
    name: str, secret: SecretSpec, known: Mapping[str, str], env_file: Path
) -> str:
    """The local value of a manifest secret: from the file, else random if generated."""
    for key in (name, secret.existing):
        if key is not None and key in known:
            return known[key]
    if secret.generate is not None:
        return random_value(secret.generate.length)
    raise MissingSecretError(
        f"secret '{name}' is an existing secret ({secret.existing}) with no local value: "
        f"add the line '{name}=<value>' to {env_file}"
    )


def local_secrets(
    environment: EnvironmentPlan, references: Iterable[tuple[str, str, str]], env_file: Path
) -> LocalSecrets:
    """Resolve manifest secrets and services' (service, VAR, reference) entries, or fail."""
    known = read_secrets_env(env_file)
    values = {
        name: manifest_secret_value(name, secret.spec, known, env_file)
        for name, secret in environment.secrets.items()
    }
    referenced: dict[str, str] = {}
    for service, variable, reference in references:
        if reference in values:
            referenced[reference] = values[reference]
        elif reference in known:
            referenced[reference] = known[reference]
        else:
            raise MissingSecretError(
                f"service '{service}' needs secret '{reference}' (secrets.{variable}) and it "
                f"has no local value: add the line '{reference}=<value>' to {env_file}"
            )
    return LocalSecrets(values, referenced)


def create_secrets(
    client: SecretsManagerClient,
    ssm: SSMClient,
    *,
    named: Mapping[str, str],
    referenced: Mapping[str, str],
) -> None:
    """Create each secret in the moto server, so code can re-read it by id as in the cloud."""
    for secret_id, value in named.items():
        client.create_secret(Name=secret_id, SecretString=value)
    for reference, value in referenced.items():
        if reference.startswith(SSM_PREFIX):
            ssm.put_parameter(
                Name=reference[len(SSM_PREFIX) :], Value=value, Type="SecureString", Overwrite=True
            )
        elif not reference.startswith("arn:"):
            client.create_secret(Name=reference, SecretString=value)

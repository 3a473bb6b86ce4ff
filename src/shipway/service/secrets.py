"""A service's own `secrets:` entries: Secrets Manager names/ARNs or SSM parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.context import ServiceRuntime

SSM_PREFIX = "ssm:"


def referenced_secret(scope: Construct, variable: str, reference: str) -> ecs.Secret:
    """An ECS secret for a manifest reference; only the reference is in the template."""
    construct_id = f"Secret{variable}"
    if reference.startswith(SSM_PREFIX):
        parameter = ssm.StringParameter.from_secure_string_parameter_attributes(
            scope, construct_id, parameter_name=reference.removeprefix(SSM_PREFIX)
        )
        return ecs.Secret.from_ssm_parameter(parameter)
    if reference.startswith("arn:"):
        secret = secretsmanager.Secret.from_secret_complete_arn(scope, construct_id, reference)
    else:
        secret = secretsmanager.Secret.from_secret_name_v2(scope, construct_id, reference)
    return ecs.Secret.from_secrets_manager(secret)


def add_manifest_secrets(
    scope: Construct, service: ServiceRuntime, secrets: dict[str, str]
) -> None:
    """Inject each `VARIABLE: reference` as an ECS secret, read by the execution role."""
    for variable, reference in sorted(secrets.items()):
        service.add_secret(variable, referenced_secret(scope, variable, reference))

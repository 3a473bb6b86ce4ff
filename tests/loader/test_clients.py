"""Default clients: one per process and endpoint, with retries configured for bulk writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.loader.clients import default_dynamodb_client, default_s3_client

if TYPE_CHECKING:
    from shipway.emulators import MotoServer


def test_clients_follow_aws_endpoint_url_and_are_reused(aws_env: MotoServer) -> None:
    dynamodb = default_dynamodb_client()
    assert dynamodb is default_dynamodb_client()
    assert dynamodb.meta.endpoint_url == aws_env.endpoint_url
    assert default_s3_client().meta.endpoint_url == aws_env.endpoint_url


def test_dynamodb_retries_adaptively(aws_env: MotoServer) -> None:
    retries = default_dynamodb_client().meta.config.retries
    assert retries is not None
    assert (retries["mode"], retries["total_max_attempts"]) == ("adaptive", 10)

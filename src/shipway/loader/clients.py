"""boto3 clients made once per process; boto3 itself honours AWS_ENDPOINT_URL (moto locally)."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

# Adaptive mode adds client-side rate limiting on top of retries: right for bulk writes that
# meet a table's throttling. Reads of one object need only the standard retries.
DYNAMODB_CONFIG = Config(
    retries={"mode": "adaptive", "total_max_attempts": 10}, connect_timeout=5, read_timeout=30
)
S3_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 5}, connect_timeout=5, read_timeout=60
)


def default_s3_client() -> S3Client:
    """The process's S3 client."""
    return _s3_client(os.environ.get("AWS_ENDPOINT_URL"))


def default_dynamodb_client() -> DynamoDBClient:
    """The process's DynamoDB client."""
    return _dynamodb_client(os.environ.get("AWS_ENDPOINT_URL"))


# Keyed on the endpoint so a process that switches between the moto server and AWS (tests,
# `shipway dev`) never reuses a client aimed at the wrong one.
@functools.cache
def _s3_client(endpoint_url: str | None) -> S3Client:
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=S3_CONFIG)


@functools.cache
def _dynamodb_client(endpoint_url: str | None) -> DynamoDBClient:
    return boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint_url, config=DYNAMODB_CONFIG
    )

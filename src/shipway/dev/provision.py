"""Create the manifest's tables, buckets, loader queues, secrets, queues and topics in moto."""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from shipway.bucket.local import LoaderQueue, create_bucket, create_loader_queue, notify_loader
from shipway.emulators.moto_server import FAKE_CREDENTIALS
from shipway.queue.local import LocalQueue, create_queue
from shipway.secret.local import create_secrets
from shipway.table.local import create_table
from shipway.topic.local import create_topic

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_ssm import SSMClient

    from shipway.dev.plan import DevPlan
    from shipway.manifest.plan import BucketPlan

# The moto server is on this machine: fail fast rather than retry for a minute.
LOCAL_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=30
)


# Requests in flight at once while provisioning; the moto server answers them side by side.
PROVISIONING_THREADS = 8


class AwsClients:
    """Clients aimed at the moto server, with its fake credentials, each made on first use.

    One set per thread: boto3 sessions are not thread-safe (clients are).
    """

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self._session = boto3.session.Session(
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=FAKE_CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    @functools.cached_property
    def dynamodb(self) -> DynamoDBClient:
        return self._session.client("dynamodb", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG)

    @functools.cached_property
    def s3(self) -> S3Client:
        return self._session.client("s3", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG)

    @functools.cached_property
    def sqs(self) -> SQSClient:
        return self._session.client("sqs", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG)

    @functools.cached_property
    def sns(self) -> SNSClient:
        return self._session.client("sns", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG)

    @functools.cached_property
    def secretsmanager(self) -> SecretsManagerClient:
        return self._session.client(
            "secretsmanager", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG
        )

    @functools.cached_property
    def ssm(self) -> SSMClient:
        return self._session.client("ssm", endpoint_url=self.endpoint_url, config=LOCAL_CONFIG)


def aws_clients(endpoint_url: str) -> AwsClients:
    """A fresh set of clients for one thread."""
    return AwsClients(endpoint_url)


@dataclass(frozen=True)
class Provisioned:
    """Physical names by manifest name."""

    tables: dict[str, str] = field(default_factory=dict)
    buckets: dict[str, str] = field(default_factory=dict)
    loader_queues: dict[str, LoaderQueue] = field(default_factory=dict)
    secret_ids: dict[str, str] = field(default_factory=dict)
    queues: dict[str, LocalQueue] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    """Topic ARNs by manifest name."""


def provision(plan: DevPlan, clients: AwsClients) -> Provisioned:
    """Create everything the `dev` plan declares, with its physical names.

    Independent resources are created side by side: each call waits on the moto server, which
    answers several at once, and cold start is the sum of these waits when done in turn.
    """
    environment = plan.environment
    done = Provisioned(
        tables={name: table.physical_name for name, table in environment.tables.items()},
        buckets={name: bucket.physical_name for name, bucket in environment.buckets.items()},
        secret_ids={name: secret.physical_name for name, secret in environment.secrets.items()},
    )
    for service in plan.aws_services:  # made here, once: a boto3 session is not thread-safe
        getattr(clients, service)
    tracks: list[Callable[[], object]] = [
        functools.partial(create_table, clients.dynamodb, table.physical_name, table.spec)
        for table in environment.tables.values()
    ]
    tracks += [
        functools.partial(_create_bucket, clients, name, bucket, done)
        for name, bucket in environment.buckets.items()
    ]
    if environment.queues or environment.topics:
        tracks.append(functools.partial(_create_messaging, plan, clients, done))
    if plan.secrets.values or _external_secrets(plan):
        clients.ssm  # noqa: B018 - made before the threads start, like the others
        tracks.append(functools.partial(_create_secrets, plan, clients, done))
    with ThreadPoolExecutor(max_workers=PROVISIONING_THREADS) as pool:
        for future in [pool.submit(track) for track in tracks]:
            future.result()  # the first failure, as if it had been done in turn
    return done


def _create_bucket(clients: AwsClients, name: str, bucket: BucketPlan, done: Provisioned) -> None:
    create_bucket(clients.s3, bucket.physical_name, bucket.spec)
    if bucket.loader_name is not None:
        queue = create_loader_queue(clients.sqs, bucket.loader_name)
        notify_loader(clients.s3, bucket.physical_name, queue)
        done.loader_queues[name] = queue


def _create_messaging(plan: DevPlan, clients: AwsClients, done: Provisioned) -> None:
    """Queues, then the topics that deliver to them."""
    for name, work_queue in plan.environment.queues.items():
        done.queues[name] = create_queue(clients.sqs, work_queue)
    for name, topic in plan.environment.topics.items():
        done.topics[name] = create_topic(clients.sns, topic, done.queues)


def _external_secrets(plan: DevPlan) -> dict[str, str]:
    """Secrets the manifest references by ARN or parameter name rather than declares."""
    return {
        reference: value
        for reference, value in plan.secrets.referenced.items()
        if reference not in plan.environment.secrets
    }


def _create_secrets(plan: DevPlan, clients: AwsClients, done: Provisioned) -> None:
    create_secrets(
        clients.secretsmanager,
        clients.ssm,
        named={done.secret_ids[name]: value for name, value in plan.secrets.values.items()},
        referenced=_external_secrets(plan),
    )

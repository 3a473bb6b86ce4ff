"""Provisioning from the manifest into the moto server (src/shipway/dev/provision.py)."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

from shipway.dev.plan import plan_dev
from shipway.dev.provision import aws_clients, provision
from shipway.manifest import load_manifest

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.emulators import MotoServer
    from tests.dev.conftest import WriteManifest

MANIFEST = """
    services:
      api:
        type: backend
        image: {build: {context: .}}
        secrets: {TOKEN: "ssm:/devprov/token", DB: prod/db}
    tables:
      items:
        partition_key: id
        sort_key: {name: at, type: N}
        ttl_attribute: expires_at
        indexes: [{name: by-name, partition_key: name, projection: keys_only}]
    buckets:
      items-import: {loader: {table: items}}
      plain: {versioned: false}
    secrets:
      jwt-key: {generate: {length: 24}}
"""


def test_everything_in_the_manifest_is_created(
    moto_server: MotoServer, write_manifest: WriteManifest
) -> None:
    manifest = write_manifest(MANIFEST, name="devprov")
    secrets_env = manifest.directory / ".shipway" / "secrets.env"
    secrets_env.parent.mkdir()
    secrets_env.write_text("ssm:/devprov/token=tok\nprod/db=pw\n", encoding="utf-8")
    plan = plan_dev(manifest)
    clients = aws_clients(moto_server.endpoint_url)

    done = provision(plan, clients)

    table = clients.dynamodb.describe_table(TableName="devprov-dev-items")["Table"]
    assert [key["AttributeName"] for key in table["KeySchema"]] == ["id", "at"]
    assert table["GlobalSecondaryIndexes"][0]["Projection"]["ProjectionType"] == "KEYS_ONLY"
    ttl = clients.dynamodb.describe_time_to_live(TableName="devprov-dev-items")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"
    assert clients.s3.get_bucket_versioning(Bucket="devprov-dev-items-import")["Status"] == (
        "Enabled"
    )
    assert "Status" not in clients.s3.get_bucket_versioning(Bucket="devprov-dev-plain")
    queue = done.loader_queues["items-import"]
    redrive = json.loads(
        clients.sqs.get_queue_attributes(QueueUrl=queue.url, AttributeNames=["RedrivePolicy"])[
            "Attributes"
        ]["RedrivePolicy"]
    )
    assert int(redrive["maxReceiveCount"]) == 3
    secret = clients.secretsmanager.get_secret_value(SecretId=done.secret_ids["jwt-key"])
    assert secret["SecretString"] == plan.secrets.values["jwt-key"]
    assert (
        clients.ssm.get_parameter(Name="/devprov/token", WithDecryption=True)["Parameter"]["Value"]
        == "tok"
    )
    assert clients.secretsmanager.get_secret_value(SecretId="prod/db")["SecretString"] == "pw"


def test_an_upload_notifies_the_loader_queue(
    moto_server: MotoServer, write_manifest: WriteManifest
) -> None:
    manifest = write_manifest(
        """
        tables: {items: {partition_key: id}}
        buckets: {items-import: {loader: {table: items}}}
    """,
        name="devnotify",
    )
    clients = aws_clients(moto_server.endpoint_url)
    done = provision(plan_dev(manifest), clients)

    clients.s3.put_object(Bucket="devnotify-dev-items-import", Key="a b.json", Body=b"[]")

    bodies = []
    for _ in range(5):  # S3 sends a TestEvent first
        messages = clients.sqs.receive_message(
            QueueUrl=done.loader_queues["items-import"].url,
            WaitTimeSeconds=2,
            MaxNumberOfMessages=10,
        )
        bodies += [json.loads(message["Body"]) for message in messages.get("Messages", [])]
        if any("Records" in body for body in bodies):
            break
    keys = [record["s3"]["object"]["key"] for body in bodies for record in body.get("Records", [])]
    assert keys == ["a+b.json"]


def test_a_dev_environment_overrides_what_is_provisioned(
    moto_server: MotoServer, app_dir: Path
) -> None:
    # Regression: shipway dev used to provision from the unresolved manifest, so a `dev`
    # override (here of the TTL attribute and of versioning) was ignored locally.
    path = app_dir / "shipway.yml"
    path.write_text(
        textwrap.dedent("""
        name: devover
        environments:
          dev: {account: "123456789012", region: us-east-1}
          prod: {account: "123456789012", region: us-east-1}
        tables:
          carts:
            partition_key: id
            ttl_attribute: expires_at
            environments: {dev: {ttl_attribute: gone_at}}
        buckets:
          raw:
            versioned: true
            environments: {dev: {versioned: false}}
    """),
        encoding="utf-8",
    )
    clients = aws_clients(moto_server.endpoint_url)
    provision(plan_dev(load_manifest(path)), clients)
    ttl = clients.dynamodb.describe_time_to_live(TableName="devover-dev-carts")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "gone_at"
    assert "Status" not in clients.s3.get_bucket_versioning(Bucket="devover-dev-raw")

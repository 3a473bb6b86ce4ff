"""Destroy through the real CLI, rehearsed in moto: a test environment's buckets are emptied
and deleted (objects and all), a prod environment keeps its data and says what it kept, and a
protected environment is never touched.

The manifest needs no image build (a prebuilt URI, a backend service: no smoke test), so the
whole deploy-and-destroy takes the CDK's time only."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.rehearsal_moto import RehearsalMotoServer

pytestmark = pytest.mark.slow
REGION = "eu-west-3"

MANIFEST = """\
name: keeper
environments:
  test:
    account: "123456789012"
    region: eu-west-3
    nat_gateways: 1
  prod:
    account: "123456789012"
    region: eu-west-3
    nat_gateways: 1
    deletion_protection: {protected}
tables:
  notes: {{partition_key: id}}
buckets:
  uploads: {{}}
services:
  api:
    type: backend
    port: 8080
    image: {{uri: public.ecr.aws/nginx/nginx:1.27}}
    uses: [notes, uploads]
"""


def _shipway(
    folder: Path, moto: RehearsalMotoServer, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, our arguments
        [sys.executable, "-m", "shipway.cli", *arguments, "-f", str(folder / "shipway.yml")],
        cwd=folder,
        env={**os.environ, **moto.client_environment(REGION)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _client(moto: RehearsalMotoServer, service: str) -> Any:
    return moto.client(service, REGION)


def _buckets_of(moto: RehearsalMotoServer, stack: str) -> list[str]:
    resources = _client(moto, "cloudformation").describe_stack_resources(StackName=stack)
    return [
        resource["PhysicalResourceId"]
        for resource in resources["StackResources"]
        if resource["ResourceType"] == "AWS::S3::Bucket"
    ]


def _fill(moto: RehearsalMotoServer, buckets: list[str]) -> None:
    """Two versions of an object in each bucket: what makes a plain bucket deletion fail."""
    s3 = _client(moto, "s3")
    for bucket in buckets:
        s3.put_object(Bucket=bucket, Key="data/one.json", Body=b'{"id": "1"}')
        s3.put_object(Bucket=bucket, Key="data/one.json", Body=b'{"id": "1", "v": 2}')


def _existing_buckets(moto: RehearsalMotoServer) -> set[str]:
    return {bucket["Name"] for bucket in _client(moto, "s3").list_buckets()["Buckets"]}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "shipway.yml").write_text(MANIFEST.format(protected="false"), encoding="utf-8")
    return tmp_path


def test_destroying_test_empties_and_deletes_every_bucket(
    folder: Path, rehearsal_moto: RehearsalMotoServer
) -> None:
    deployed = _shipway(folder, rehearsal_moto, "deploy", "--env", "test", "--quiet")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    buckets = _buckets_of(rehearsal_moto, "keeper-test")
    assert buckets  # the uploads bucket, and the logs buckets the environment keeps
    _fill(rehearsal_moto, buckets)

    destroyed = _shipway(folder, rehearsal_moto, "destroy", "--env", "test", "--force")

    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    assert "test destroyed" in destroyed.stdout and "kept:" not in destroyed.stdout
    assert not set(buckets) & _existing_buckets(rehearsal_moto)
    tables = _client(rehearsal_moto, "dynamodb").list_tables()["TableNames"]
    assert not [name for name in tables if name.startswith("keeper-test")]


def test_destroying_prod_keeps_its_data_and_lists_it(
    folder: Path, rehearsal_moto: RehearsalMotoServer
) -> None:
    deployed = _shipway(folder, rehearsal_moto, "deploy", "--env", "prod", "--approve", "--quiet")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    buckets = _buckets_of(rehearsal_moto, "keeper-prod")
    _fill(rehearsal_moto, buckets)

    destroyed = _shipway(folder, rehearsal_moto, "destroy", "--env", "prod", "--force")

    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    lines = destroyed.stdout.splitlines()
    kept = [line.split("kept: ", 1)[1] for line in lines if "kept: " in line]
    kept_tables = [entry.split()[1] for entry in kept if entry.startswith("AWS::DynamoDB::Table")]
    kept_buckets = [entry.split()[1] for entry in kept if entry.startswith("AWS::S3::Bucket")]
    assert len(kept_tables) == 1 and kept_tables[0].startswith("keeper-prod-notes-")
    assert sorted(kept_buckets) == sorted(buckets)  # every bucket, objects and all
    s3 = _client(rehearsal_moto, "s3")
    for bucket in buckets:
        assert s3.get_object(Bucket=bucket, Key="data/one.json")["Body"].read() == (
            b'{"id": "1", "v": 2}'
        )
    assert kept_tables[0] in _client(rehearsal_moto, "dynamodb").list_tables()["TableNames"]
    stacks = _client(rehearsal_moto, "cloudformation").describe_stacks()["Stacks"]
    assert not [stack for stack in stacks if stack["StackName"].startswith("keeper-prod")]


def test_a_protected_environment_is_refused_before_anything_is_touched(
    tmp_path: Path, rehearsal_moto: RehearsalMotoServer
) -> None:
    (tmp_path / "shipway.yml").write_text(MANIFEST.format(protected="true"), encoding="utf-8")

    refused = _shipway(tmp_path, rehearsal_moto, "destroy", "--env", "prod", "--force")

    assert refused.returncode == 2
    assert "protected from deletion" in refused.stderr
    assert "Traceback" not in refused.stderr

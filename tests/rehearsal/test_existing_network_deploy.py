"""An environment in an existing VPC deploys with the real pinned CDK CLI into moto, and destroying
it leaves the VPC that was there before.

The VPC and its subnets are made in moto first (moto chooses their ids), and the acceptance
manifest tests/data/exec_network is copied with those ids in place of its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from shipway.manifest import load_manifest
from shipway.synthesis import synthesize
from shipway.testing.cdk_rehearsal import CdkRehearsal
from shipway.testing.notes import Stopwatch, note

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.testing.rehearsal_moto import RehearsalMotoServer

pytestmark = pytest.mark.slow
ACCEPTANCE = Path(__file__).resolve().parents[1] / "data" / "exec_network"
REGION = "us-east-1"
# the manifest's subnet ids → (CIDR block, zone) of the one made in moto for each
SUBNETS = {
    "subnet-0aaaaaaaaaaaaaa01": ("10.1.0.0/24", "us-east-1a"),
    "subnet-0aaaaaaaaaaaaaa02": ("10.1.1.0/24", "us-east-1b"),
    "subnet-0bbbbbbbbbbbbbb01": ("10.1.2.0/24", "us-east-1a"),
    "subnet-0bbbbbbbbbbbbbb02": ("10.1.3.0/24", "us-east-1b"),
}
PUBLIC = ("subnet-0aaaaaaaaaaaaaa01", "subnet-0aaaaaaaaaaaaaa02")


def _client(moto: RehearsalMotoServer, service: str) -> Any:
    return moto.client(service, REGION)


@pytest.fixture
def existing_vpc(rehearsal_moto: RehearsalMotoServer) -> Iterator[dict[str, str]]:
    """A VPC with four subnets in moto: the manifest's ids mapped to moto's (and the VPC's)."""
    ec2 = _client(rehearsal_moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ids = {"vpc-0a1b2c3d4e5f60718": vpc}
    for written, (block, zone) in SUBNETS.items():
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=block, AvailabilityZone=zone)
        ids[written] = subnet["Subnet"]["SubnetId"]
    yield ids
    for written in SUBNETS:
        ec2.delete_subnet(SubnetId=ids[written])
    ec2.delete_vpc(VpcId=vpc)


def test_deploy_into_an_existing_vpc_then_destroy_keeps_it(
    rehearsal_moto: RehearsalMotoServer, existing_vpc: dict[str, str], tmp_path: Path
) -> None:
    # GIVEN the acceptance manifest naming the VPC and subnets that exist in moto
    text = (ACCEPTANCE / "shipway.yml").read_text(encoding="utf-8")
    for written, real in existing_vpc.items():
        text = text.replace(written, real)
    (tmp_path / "shipway.yml").write_text(text, encoding="utf-8")
    shutil.copy(ACCEPTANCE / "Dockerfile", tmp_path / "Dockerfile")
    result = synthesize(load_manifest(tmp_path / "shipway.yml"), ["test"], outdir=tmp_path / "out")
    stack, registry = result.stacks[0], result.registries[0]
    cdk = CdkRehearsal(rehearsal_moto)

    # WHEN the test environment is deployed with the pinned CLI
    with Stopwatch(f"cdk deploy {stack.name} (existing VPC)"):
        cdk.deploy(result.outdir, stack.name, region=REGION)

    # THEN every resource was created, in the existing VPC's subnets, and no VPC was added
    coverage = rehearsal_moto.coverage(stack.name)
    note(coverage.summary())
    assert coverage.count("failed") == coverage.count("skipped") == 0, coverage.resources
    ec2 = _client(rehearsal_moto, "ec2")
    assert [vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]] == [
        existing_vpc["vpc-0a1b2c3d4e5f60718"]
    ]
    (balancer,) = _client(rehearsal_moto, "elbv2").describe_load_balancers()["LoadBalancers"]
    public = {existing_vpc[written] for written in PUBLIC}
    assert {zone["SubnetId"] for zone in balancer["AvailabilityZones"]} == public
    template = json.loads(stack.template.read_text(encoding="utf-8"))
    assert not [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::Subnet"]

    # WHEN it is destroyed, THEN the stacks are gone and the VPC and its subnets remain
    with Stopwatch(f"cdk destroy {stack.name} (existing VPC)"):
        cdk.destroy(result.outdir, stack.name, region=REGION)
        cdk.destroy(result.outdir, registry.name, region=REGION)
    remaining = _client(rehearsal_moto, "cloudformation").describe_stacks()["Stacks"]
    assert [s["StackName"] for s in remaining] == ["CDKToolkit"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id",
                                             "Values": [existing_vpc["vpc-0a1b2c3d4e5f60718"]]}])
    assert len(subnets["Subnets"]) == 4

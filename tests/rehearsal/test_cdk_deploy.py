"""The real pinned CDK CLI deploys the test environment of three examples into moto and destroys it.

`cdk bootstrap`, asset publishing, change set and stack creation all run for real against the
moto server; resource types moto does not emulate are answered by the stand-ins of
shipway.testing.stand_ins, and the coverage each deploy reached is printed at the end of the run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from shipway.manifest import load_manifest
from shipway.synthesis import synthesize
from shipway.testing.cdk_rehearsal import CdkRehearsal
from shipway.testing.notes import Stopwatch, note
from shipway.testing.stand_ins import STAND_INS

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult
    from shipway.testing.rehearsal_moto import RehearsalMotoServer


pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEPLOYED = ("profile", "three-tier", "bootcamp-api")


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SynthResult]:
    """The test environment of each deployed example, synthesized once."""
    root = tmp_path_factory.mktemp("rehearsal-cdk.out")
    return {
        name: synthesize(
            load_manifest(EXAMPLES / name / "shipway.yml"), ["test"], outdir=root / name
        )
        for name in DEPLOYED
    }


@pytest.fixture(scope="module")
def cdk(rehearsal_moto: RehearsalMotoServer) -> CdkRehearsal:
    return CdkRehearsal(rehearsal_moto)


def _region(name: str) -> str:
    return load_manifest(EXAMPLES / name / "shipway.yml").environment("test").region


def _cloudformation(moto: RehearsalMotoServer, region: str) -> object:
    return boto3.client("cloudformation", region_name=region, endpoint_url=moto.endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip


@pytest.mark.parametrize("name", DEPLOYED)
def test_deploy_then_destroy_of_the_test_environment(
    name: str,
    assemblies: dict[str, SynthResult],
    cdk: CdkRehearsal,
    rehearsal_moto: RehearsalMotoServer,
) -> None:
    stack = assemblies[name].stacks[0]
    region = _region(name)
    cloudformation = _cloudformation(rehearsal_moto, region)
    with Stopwatch(f"cdk bootstrap {region}"):
        cdk.bootstrap(region)

    # WHEN the stack is deployed with the pinned CLI
    with Stopwatch(f"cdk deploy {stack.name}"):
        cdk.deploy(assemblies[name].outdir, stack.name, region=region)

    # THEN it completed, and every resource of its template was created (by moto or a stand-in)
    described = cloudformation.describe_stacks(StackName=stack.name)["Stacks"][0]  # type: ignore[attr-defined]
    assert described["StackStatus"] == "CREATE_COMPLETE"
    coverage = rehearsal_moto.coverage(stack.name)
    note(coverage.summary())
    note(f"  stood in: {dict(sorted(coverage.types('stood_in').items()))}")
    template = json.loads(stack.template.read_text())
    assert sorted(r["logical_id"] for r in coverage.resources) == sorted(template["Resources"])
    assert coverage.count("failed") == coverage.count("skipped") == 0, coverage.resources
    assert set(coverage.types("stood_in")) <= {stand_in.type for stand_in in STAND_INS}
    assert coverage.count("emulated") > coverage.count("stood_in")

    # (the CDK CLI deployed the environment's registry first: the stack imports from it)
    registry = assemblies[name].registries[0]
    assert rehearsal_moto.coverage(registry.name).count("emulated") == len(
        json.loads(registry.template.read_text())["Resources"]
    )

    # WHEN it is destroyed, then its registry, THEN the stacks and the network are gone
    with Stopwatch(f"cdk destroy {stack.name}"):
        cdk.destroy(assemblies[name].outdir, stack.name, region=region)
        cdk.destroy(assemblies[name].outdir, registry.name, region=region)
    remaining = cloudformation.describe_stacks()["Stacks"]  # type: ignore[attr-defined]
    assert [s["StackName"] for s in remaining] == ["CDKToolkit"]
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=rehearsal_moto.endpoint_url,
                       aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    assert [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]] == []


def test_stand_ins_each_say_why_they_are_safe_to_skip() -> None:
    assert len({stand_in.type for stand_in in STAND_INS}) == len(STAND_INS)
    for stand_in in STAND_INS:
        assert stand_in.type.startswith("AWS::") and stand_in.why.strip(), stand_in

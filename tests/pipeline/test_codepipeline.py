"""`shipway pipeline codepipeline`: profile's pipeline stack, synthesized once per session through
the real command (--package shipway==9.9) and gated (cdk-nag, cfn-lint, checkov) with zero
findings; then what it holds."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.pipeline.buildspec import IMAGES_FILE

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
CONNECTION = (
    "arn:aws:codeconnections:us-east-2:123456789012:connection/4f1c2f3e-8d9a-4b6c-9e2f-0a1b2c3d4e5f"
)


@pytest.fixture(scope="module")
def synthesized(profile_pipeline: tuple[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The session's one synthesis of profile's pipeline stack (tests/conftest.py)."""
    return profile_pipeline


def _of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == kind}


def _stages(template: dict[str, Any]) -> list[dict[str, Any]]:
    (pipeline,) = _of_type(template, "AWS::CodePipeline::Pipeline").values()
    stages: list[dict[str, Any]] = pipeline["Properties"]["Stages"]
    return stages


def _buildspec(template: dict[str, Any], logical_prefix: str) -> dict[str, Any]:
    projects = _of_type(template, "AWS::CodeBuild::Project")
    (project,) = [body for key, body in projects.items() if key.startswith(logical_prefix)]
    spec: dict[str, Any] = json.loads(project["Properties"]["Source"]["BuildSpec"])
    return spec


def test_the_gates_find_nothing(synthesized: tuple[str, dict[str, Any]]) -> None:
    stdout, _ = synthesized
    assert "profile-pipeline.template.json: 0 findings (cdk-nag, cfn-lint, checkov)" in stdout


def test_source_build_then_each_environment_prod_after_a_manual_approval(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    (pipeline,) = _of_type(template, "AWS::CodePipeline::Pipeline").values()
    assert pipeline["Properties"]["PipelineType"] == "V2"
    stages = _stages(template)
    assert [stage["Name"] for stage in stages] == ["Source", "Build", "Deploy-test", "Deploy-prod"]
    (source,) = stages[0]["Actions"]
    assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    assert source["Configuration"] == {
        "ConnectionArn": CONNECTION,
        "FullRepositoryId": "acme/profile",
        "BranchName": "main",
        "DetectChanges": True,
    }
    (build,) = stages[1]["Actions"]
    assert [artifact["Name"] for artifact in build["OutputArtifacts"]] == ["Images"]
    (test_deploy,) = stages[2]["Actions"]  # test: no approval
    approve, prod_deploy = stages[3]["Actions"]
    assert (approve["ActionTypeId"]["Provider"], approve["RunOrder"]) == ("Manual", 1)
    assert prod_deploy["RunOrder"] == 2
    for deploy in (test_deploy, prod_deploy):  # the same digests: the build's Images artifact
        assert [a["Name"] for a in deploy["InputArtifacts"]] == ["Source", "Images"]


def test_the_build_checks_every_environment_then_pushes_once(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    spec = _buildspec(template, "Build")
    assert spec["env"]["shell"] == "bash"
    assert spec["env"]["variables"]["SHIPWAY_MANIFEST"] == "examples/profile/shipway.yml"
    assert spec["env"]["variables"]["SHIPWAY_PACKAGE"] == "shipway==9.9"
    assert spec["phases"]["pre_build"]["commands"] == [
        'shipway check -f "$SHIPWAY_MANIFEST" --env test',
        'shipway check -f "$SHIPWAY_MANIFEST" --env prod',
    ]
    (push,) = spec["phases"]["build"]["commands"]
    assert push.startswith('shipway push -f "$SHIPWAY_MANIFEST" --env test --json >')
    assert spec["artifacts"] == {"files": [IMAGES_FILE]}
    (project,) = [
        body
        for key, body in _of_type(template, "AWS::CodeBuild::Project").items()
        if key.startswith("Build")
    ]
    assert project["Properties"]["Environment"]["PrivilegedMode"] is True  # Docker builds
    assert "EncryptionKey" in project["Properties"]


def test_each_deploy_uses_the_build_s_digests_and_only_prod_is_approved(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    for prefix, approved in (("DeployTest", False), ("DeployProd", True)):
        (command,) = _buildspec(template, prefix)["phases"]["build"]["commands"]
        assert f'"$CODEBUILD_SRC_DIR_Images/{IMAGES_FILE}"' in command
        environment = "prod" if approved else "test"
        assert f'shipway deploy -f "$SHIPWAY_MANIFEST" --env {environment} "${{images[@]}}"' in (
            command
        )
        assert command.endswith("--approve") is approved
    projects = _of_type(template, "AWS::CodeBuild::Project")
    assert [
        key for key, body in projects.items() if body["Properties"]["Environment"]["PrivilegedMode"]
    ] == [next(key for key in projects if key.startswith("Build"))]


def test_artifacts_are_encrypted_tls_only_and_access_logged(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    buckets = _of_type(template, "AWS::S3::Bucket")
    (artifacts,) = [body for key, body in buckets.items() if key.startswith("Artifacts")]
    properties = artifacts["Properties"]
    (encryption,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert "DestinationBucketName" in properties["LoggingConfiguration"]
    policies = _of_type(template, "AWS::S3::BucketPolicy").values()
    denials = [
        statement
        for policy in policies
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
    ]
    assert all(d["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for d in denials)
    assert len(denials) == 2  # the artifact bucket and its access-log bucket


def test_runs_and_approvals_notify_the_ticket_email(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    (rule,) = _of_type(template, "AWS::CodeStarNotifications::NotificationRule").values()
    assert sorted(rule["Properties"]["EventTypeIds"]) == [
        "codepipeline-pipeline-manual-approval-needed",
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-succeeded",
    ]
    ((topic_id, topic),) = _of_type(template, "AWS::SNS::Topic").items()
    assert rule["Properties"]["Targets"] == [
        {"TargetAddress": {"Ref": topic_id}, "TargetType": "SNS"}
    ]
    assert "KmsMasterKeyId" in topic["Properties"]
    (subscription,) = _of_type(template, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Endpoint"] == "oncall@example.com"  # prod's alarm_email


def test_deploy_roles_push_only_profile_s_repositories_and_assume_only_cdk_roles(
    synthesized: tuple[str, dict[str, Any]],
) -> None:
    _, template = synthesized
    roles = _of_type(template, "AWS::IAM::Role")
    (prod,) = [body for key, body in roles.items() if key.startswith("DeployProdRole")]
    statements = {
        s["Sid"]: s
        for p in prod["Properties"]["Policies"]
        for s in p["PolicyDocument"]["Statement"]
    }
    assert statements["PushToTheApplicationsRepositories"]["Resource"] == (
        "arn:aws:ecr:us-east-2:123456789012:repository/profile-prod-profile*"
    )
    assumed = statements["DeployThroughTheCdkBootstrapRoles"]["Resource"]
    assert all(":role/cdk-hnb659fds-" in arn for arn in assumed)
    actions = [
        a
        for s in statements.values()
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    assert not [a for a in actions if a == "*" or a.endswith(":*") or a.startswith("iam:")]


def test_a_manifest_without_a_pipeline_is_one_clear_error(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        'name: shop\nenvironments:\n  test: {account: "123456789012", region: us-east-1}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["pipeline", "codepipeline", "-f", str(manifest)])
    assert result.exit_code == 2
    assert "no pipeline: add `pipeline: {provider: codepipeline" in result.stderr
    assert "Traceback" not in result.output


def test_an_environment_in_another_account_is_one_located_error(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        "name: shop\n"
        "environments:\n"
        '  test: {account: "123456789012", region: us-east-1}\n'
        '  prod: {account: "210987654321", region: us-east-1}\n'
        f"pipeline: {{provider: codepipeline, connection_arn: {CONNECTION}, repository: a/b}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["pipeline", "codepipeline", "-f", str(manifest)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    (line,) = [entry for entry in result.stderr.splitlines() if entry.startswith(str(manifest))]
    assert line.startswith(f"{manifest}:4:")
    assert "environments.prod.account" in line and "its own account (123456789012" in line

"""`shipway pipeline github --bootstrap`: the OIDC provider and the roles GitHub jobs assume,
synthesized through the real command and gated (cdk-nag, cfn-lint, checkov) with zero findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.compliance.gates import nag_findings
from shipway.manifest import load_manifest, resolve
from shipway.pipeline.github import deploy_role_name, diff_role_name
from shipway.pipeline.github_role import build_github_app

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop-cart" / "shipway.yml"
ISSUER = "token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("github-stack")
    result = CliRunner().invoke(
        app,
        [
            "pipeline",
            "github",
            "--bootstrap",
            "-f",
            str(EXAMPLE),
            "--env",
            "test",
            "--repository",
            "acme/shop",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    template = json.loads((out / "shop-cart-test-github.template.json").read_text(encoding="utf-8"))
    return result.stdout, template


def _of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == kind}


def _role(template: dict[str, Any], name: str) -> dict[str, Any]:
    roles = _of_type(template, "AWS::IAM::Role").values()
    return next(role["Properties"] for role in roles if role["Properties"]["RoleName"] == name)


def _statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_gates_find_nothing(bootstrapped: tuple[str, dict[str, Any]]) -> None:
    stdout, _ = bootstrapped
    assert "0 findings (cdk-nag, cfn-lint, checkov)" in stdout


def test_the_provider_is_github_s_for_sts(bootstrapped: tuple[str, dict[str, Any]]) -> None:
    _, template = bootstrapped
    (provider,) = _of_type(template, "AWS::IAM::OIDCProvider").values()
    assert provider["Properties"] == {
        "ClientIdList": ["sts.amazonaws.com"],
        "Url": f"https://{ISSUER}",
    }


def test_the_deploy_role_trusts_only_the_repository_s_environment(
    bootstrapped: tuple[str, dict[str, Any]],
) -> None:
    _, template = bootstrapped
    role = _role(template, deploy_role_name("shop-cart", "test"))
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Condition"] == {
        "StringEquals": {
            f"{ISSUER}:aud": "sts.amazonaws.com",
            f"{ISSUER}:sub": "repo:acme/shop:environment:test",
        }
    }
    assert role["MaxSessionDuration"] == 3600


def test_the_deploy_role_may_only_deploy_through_the_cdk_and_push_the_app_s_images(
    bootstrapped: tuple[str, dict[str, Any]],
) -> None:
    _, template = bootstrapped
    statements = {
        s["Sid"]: s for s in _statements(_role(template, deploy_role_name("shop-cart", "test")))
    }
    actions = [a for s in statements.values() for a in _listed(s["Action"])]
    assert not [a for a in actions if a == "*" or a.endswith(":*")]
    assert not [a for a in actions if a.startswith(("iam:", "s3:", "ecs:Update", "ecs:Create"))]
    assumed = _listed(statements["DeployThroughTheCdkBootstrapRoles"]["Resource"])
    assert sorted(assumed) == sorted(
        f"arn:aws:iam::123456789012:role/cdk-hnb659fds-{kind}-role-123456789012-us-east-1"
        for kind in ("deploy", "file-publishing", "image-publishing", "lookup")
    )
    push = statements["PushToTheApplicationsRepositories"]
    assert sorted(_listed(push["Resource"])) == [  # each image shop-cart builds
        "arn:aws:ecr:us-east-1:123456789012:repository/shop-cart-test-cart*",
        "arn:aws:ecr:us-east-1:123456789012:repository/shop-cart-test-fulfilment*",
    ]
    assert "ecr:PutImage" in push["Action"]
    everywhere = [s["Sid"] for s in statements.values() if "*" in _listed(s["Resource"])]
    assert everywhere == ["LogInToEcr"]  # GetAuthorizationToken acts on no resource


def test_pull_requests_get_a_read_only_role(bootstrapped: tuple[str, dict[str, Any]]) -> None:
    _, template = bootstrapped
    role = _role(template, diff_role_name("shop-cart", "test"))
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["StringEquals"][f"{ISSUER}:sub"] == "repo:acme/shop:pull_request"
    actions = {a for s in _statements(role) for a in _listed(s["Action"])}
    assert actions == {
        "sts:AssumeRole",
        "sts:TagSession",
        "cloudformation:DescribeStacks",
        "cloudformation:GetTemplate",
    }
    assumed = [
        r
        for s in _statements(role)
        if "sts:AssumeRole" in s["Action"]
        for r in _listed(s["Resource"])
    ]
    assert assumed == [
        "arn:aws:iam::123456789012:role/cdk-hnb659fds-lookup-role-123456789012-us-east-1"
    ]


def test_a_later_environment_uses_the_account_s_provider_and_has_no_diff_role(
    tmp_path: Path,
) -> None:
    manifest = load_manifest(EXAMPLE)
    build_github_app(
        resolve(manifest, "prod"),
        outdir=tmp_path,
        repository="acme/shop",
        diff=False,
        existing_provider=True,
    ).synth()
    assert nag_findings(tmp_path) == []
    template = json.loads(
        (tmp_path / "shop-cart-prod-github.template.json").read_text(encoding="utf-8")
    )
    assert _of_type(template, "AWS::IAM::OIDCProvider") == {}
    (role,) = _of_type(template, "AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"]["Federated"] == f"arn:aws:iam::210987654321:oidc-provider/{ISSUER}"
    assert trust["Condition"]["StringEquals"][f"{ISSUER}:sub"] == "repo:acme/shop:environment:prod"

"""Temporary read-only access: the manifest's `access:` entries, the roles synthesized for them
(trust bounded by the expiry date, read-only, no users or keys, zero gate findings), and
`shipway access` through the real CLI."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from shipway.access.grants import expired_access_warnings, reviewer_roles
from shipway.cli import app
from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from shipway.manifest import load_manifest, resolve
from shipway.synthesis import synthesize

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.synthesis import SynthResult

MANIFEST = """\
name: review
environments:
  prod:
    account: "123456789012"
    region: eu-west-1
    access:
      - {principal: "210987654321", expires: 2099-06-30, name: auditors}
      - {principal: "arn:aws:iam::123456789012:role/Reviewer", expires: 2099-01-15}
      - {principal: "arn:aws:iam::123456789012:user/old-friend", expires: 2020-01-31}
services:
  api:
    type: backend
    image: {uri: public.ecr.aws/nginx/nginx:1}
"""


def write(folder: Path, text: str = MANIFEST) -> Path:
    path = folder / "shipway.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    folder = tmp_path_factory.mktemp("access")
    return synthesize(load_manifest(write(folder)), ["prod"], outdir=folder / "cdk.out")


def resources(result: SynthResult) -> dict[str, Any]:
    template = json.loads(result.stacks[0].template.read_text(encoding="utf-8"))
    found: dict[str, Any] = template["Resources"]
    return found


def roles(result: SynthResult) -> dict[str, dict[str, Any]]:
    return {
        resource["Properties"]["RoleName"]: resource["Properties"]
        for resource in resources(result).values()
        if resource["Type"] == "AWS::IAM::Role"
        and resource["Properties"].get("RoleName", "").startswith("review-prod-review-")
    }


def test_a_role_per_entry_assumable_only_until_the_end_of_its_expiry_day(
    synthesized: SynthResult,
) -> None:
    found = roles(synthesized)
    assert set(found) == {
        "review-prod-review-auditors",
        "review-prod-review-Reviewer",
        "review-prod-review-old-friend",
    }
    trust = found["review-prod-review-Reviewer"]["AssumeRolePolicyDocument"]["Statement"]
    allow, deny = trust
    principal = {"AWS": "arn:aws:iam::123456789012:role/Reviewer"}
    assert allow == {
        "Action": "sts:AssumeRole",
        "Effect": "Allow",
        "Principal": principal,
        "Condition": {"DateLessThan": {"aws:CurrentTime": "2099-01-15T23:59:59Z"}},
    }
    assert deny == {
        "Action": "sts:AssumeRole",
        "Effect": "Deny",
        "Principal": principal,
        "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2099-01-15T23:59:59Z"}},
    }
    account = found["review-prod-review-auditors"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert ":iam::210987654321:root" in json.dumps(account["Principal"])
    for properties in found.values():
        assert properties["MaxSessionDuration"] == 3600
        assert "ReadOnlyAccess" in json.dumps(properties["ManagedPolicyArns"])


def test_reviewers_read_the_infrastructure_not_the_data_and_get_no_users_or_keys(
    synthesized: SynthResult,
) -> None:
    everything = resources(synthesized)
    kinds = {resource["Type"] for resource in everything.values()}
    assert not kinds & {"AWS::IAM::User", "AWS::IAM::AccessKey", "AWS::IAM::Group"}
    denies = [
        statement
        for resource in everything.values()
        if resource["Type"] == "AWS::IAM::Policy"
        and "ReviewerAccess" in json.dumps(resource["Properties"]["Roles"])
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert len(denies) == 3  # one per role, and nothing else added to them
    for deny in denies:
        assert deny["Effect"] == "Deny" and deny["Resource"] == "*"
        assert {"dynamodb:GetItem", "s3:GetObject", "secretsmanager:GetSecretValue"} <= set(
            deny["Action"]
        )


def test_the_roles_pass_the_gates(synthesized: SynthResult) -> None:
    assert synthesized.nag == []
    errors, warnings = cfn_lint_findings(synthesized.templates)
    assert errors == [] and warnings == []
    failed, _ = checkov_findings(synthesized.outdir)
    assert failed == []


def test_expired_entries_are_a_warning_naming_the_entry(tmp_path: Path) -> None:
    plan = resolve(load_manifest(write(tmp_path)), "prod")
    expired = [warning for warning in plan.warnings if "expired" in warning]
    assert expired == [
        "prod: access for arn:aws:iam::123456789012:user/old-friend "
        "(review-prod-review-old-friend) expired on 2020-01-31: it can no longer be assumed; "
        "remove the entry from environments.prod.access to delete the role"
    ]
    settings = plan.settings
    # the day itself still counts; the day after does not
    assert expired_access_warnings("review", "prod", settings, date(2020, 1, 31))[:0] == []
    last_day = reviewer_roles("review", "prod", settings.account, settings.access)[2]
    assert not last_day.expired(date(2020, 1, 31)) and last_day.expired(date(2020, 2, 1))


def test_shipway_access_prints_arn_expiry_and_switch_role_link(tmp_path: Path) -> None:
    manifest = str(write(tmp_path))
    code, out, _ = run("access", "-f", manifest, "--env", "prod")
    assert code == 0
    assert "auditors (active)  for 210987654321" in out
    assert "role     arn:aws:iam::123456789012:role/review-prod-review-auditors" in out
    assert "expires  2099-06-30T23:59:59Z" in out
    assert (
        "console  https://signin.aws.amazon.com/switchrole?roleName=review-prod-review-auditors"
        "&account=123456789012&displayName=review-prod-review-auditors"
    ) in out
    assert "old-friend (expired)" in out

    code, out, _ = run("access", "-f", manifest, "--env", "prod", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [entry["name"] for entry in listed] == ["auditors", "Reviewer", "old-friend"]
    assert [entry["expired"] for entry in listed] == [False, False, True]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{principal: "12345", expires: 2099-01-01}', "access.0.principal"),
        ('{principal: "arn:aws:iam::123456789012:group/x", expires: 2099-01-01}', "principal"),
        ('{principal: "210987654321", expires: someday}', "access.0.expires"),
        ('{principal: "210987654321"}', "expires"),
    ],
)
def test_bad_entries_are_located_user_errors(tmp_path: Path, entry: str, message: str) -> None:
    text = MANIFEST.replace(
        '{principal: "210987654321", expires: 2099-06-30, name: auditors}', entry
    )
    code, _, err = run("validate", "-f", str(write(tmp_path, text)))
    assert code == 2
    assert "shipway.yml:" in err and message in err and "Traceback" not in err


def test_two_entries_with_one_name_are_refused(tmp_path: Path) -> None:
    text = MANIFEST.replace("name: auditors", "name: Reviewer")
    code, _, err = run("validate", "-f", str(write(tmp_path, text)))
    assert code == 2 and "both named Reviewer" in err

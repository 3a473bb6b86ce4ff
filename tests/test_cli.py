"""The CLI: exit statuses, one-line user errors, and what synth prints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from typer.testing import CliRunner

from shipway.cli import app

if TYPE_CHECKING:
    import pytest

DATA = Path(__file__).resolve().parent / "data"
CORE = DATA / "core" / "shipway.yml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for command in (
        "validate",
        "synth",
        "check",
        "diff",
        "deploy",
        "destroy",
        "schema",
        "init",
        "dev",
        "load",
        "runbook",
    ):
        code, out, _ = run(command, "--help")
        assert code == 0, command
        assert "--file" in out or command in {"schema", "load"} or "-f" in out


def test_validate_accepts_the_core_manifest() -> None:
    code, out, _ = run("validate", "-f", str(CORE))
    assert code == 0
    assert "application 'storefront', 2 environment(s), 3 service(s)" in out


def test_unknown_environment_is_one_line_with_the_defined_ones() -> None:
    code, _, err = run("synth", "-f", str(CORE), "--env", "stagin")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "environment 'stagin' is not defined" in err and "test, prod" in err


def test_synth_needs_an_environment() -> None:
    code, _, err = run("synth", "-f", str(CORE))
    assert code == 2 and "--env" in err


def test_deploy_to_an_environment_requiring_approval_needs_approve() -> None:
    code, _, err = run("deploy", "-f", str(CORE), "--env", "prod")
    assert code == 2
    assert "requires approval" in err and "--approve" in err


def test_deploy_without_node_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shipway.node_runtime.PINNED_NODE", Path("/nonexistent/node"))
    code, _, err = run("diff", "-f", str(CORE), "--env", "test")
    assert code == 2 and "no supported Node.js: run 'make setup'" in err


def test_deploy_without_credentials_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = run("diff", "-f", str(CORE), "--env", "test")
    assert code == 2 and "no AWS credentials" in err


def test_schema_is_json_schema_of_the_manifest() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert {"name", "environments", "services", "tables", "caches", "buckets", "secrets"} <= set(
        schema["properties"]
    )
    assert schema["$schema"].endswith("2020-12/schema")


def test_init_writes_a_valid_manifest_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "shipway.yml"
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\n")
    assert run("init", "-f", str(target), "--name", "hello")[0] == 0
    assert run("validate", "-f", str(target))[0] == 0
    before = target.read_text()
    code, _, err = run("init", "-f", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text() == before


def test_synth_prints_stacks_resource_counts_the_http_warning_and_its_steps(
    tmp_path: Path,
) -> None:
    # The manifest defines one environment: synth needs no --env.
    code, out, err = run(
        "synth", "-f", str(DATA / "compute" / "shipway.yml"), "--out", str(tmp_path / "out")
    )
    assert code == 0, out
    assert "computes-test" in out and "AWS::ECS::Service" in out
    assert "no domain configured" in out
    assert (tmp_path / "out" / "computes-test.template.json").exists()
    for step in ("validate the manifest", "build the CDK app (test)", "run cdk-nag"):
        assert re.search(rf"✓ .*{re.escape(step)}.* \(\d+\.\d s\)", err), err


def test_synth_json_is_the_only_thing_on_stdout(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(ONE_ENV + "services:\n  api:\n    type: backend\n    image: {uri: x}\n")
    code, out, _ = run("synth", "-f", str(manifest), "--out", str(tmp_path / "out"), "--json")
    assert code == 0
    result = json.loads(out)
    assert [stack["name"] for stack in result["stacks"]] == ["solo-test"]
    assert result["stacks"][0]["resources"]["AWS::ECS::Service"] == 1
    assert result["nag"] == []


ONE_ENV = """\
name: solo
environments:
  test: {account: "123456789012", region: us-east-1}
"""


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and re.fullmatch(r"shipway \d+\.\d+\.\d+\n", out)


def test_the_manifest_is_found_in_a_parent_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shipway.yml").write_text(ONE_ENV)
    (tmp_path / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "src" / "deep")
    code, out, _ = run("validate")
    assert code == 0 and str(tmp_path / "shipway.yml") in out


def test_no_manifest_anywhere_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("validate")
    assert code == 2 and err.count("\n") == 1 and "no shipway.yml in" in err and "init" in err


def test_a_folder_given_as_manifest_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("validate", "-f", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_commands_on_one_environment_need_env_when_there_are_several() -> None:
    for command in ("diff", "deploy", "destroy"):
        code, _, err = run(command, "-f", str(CORE))
        assert code == 2, command
        assert "name one with --env (test, prod)" in err, err


def test_validate_json(tmp_path: Path) -> None:
    code, out, _ = run("validate", "-f", str(CORE), "--json")
    assert code == 0 and json.loads(out)["environments"] == ["test", "prod"]
    bad = tmp_path / "shipway.yml"
    bad.write_text(ONE_ENV + "services:\n  web:\n    prot: 1\n")
    code, out, _ = run("validate", "-f", str(bad), "--json")
    result = json.loads(out)
    assert code == 2 and result["valid"] is False
    assert {(issue["line"], issue["path"]) for issue in result["issues"]} == {
        (6, "services.web.image"),
        (6, "services.web.prot"),
    }


def test_user_text_is_printed_verbatim(tmp_path: Path) -> None:
    # Rich would turn `:secret:` into an emoji and `[bold]` into markup.
    arn = "arn:aws:acm:us-east-1:123456789012:secret:[bold]x"
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        "name: solo\nenvironments:\n  test:\n    account: '123456789012'\n    region: us-east-1\n"
        f"    domain: {{zone: a.com, zone_id: Z1, certificate_arn: '{arn}'}}\n"
    )
    code, _, err = run("validate", "-f", str(manifest))
    assert code == 2 and arn in err

"""The CodeBuild buildspecs, made from one list of commands (no synthesis needed)."""

from __future__ import annotations

import re
from pathlib import Path

from shipway.pipeline.actions import UV_VERSION
from shipway.pipeline.buildspec import (
    IMAGES_FILE,
    BuildspecOptions,
    build_commands,
    buildspec,
    deploy_commands,
)

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = BuildspecOptions("app/shipway.yml", "shipway==1.2.3")


def test_the_build_installs_checks_every_environment_then_pushes_for_the_first() -> None:
    spec = buildspec(build_commands(["test", "stage", "prod"], "test"), OPTIONS)
    assert list(spec["phases"]) == ["install", "pre_build", "build", "post_build"]
    assert [c.split()[-1] for c in spec["phases"]["pre_build"]["commands"]] == [
        "test",
        "stage",
        "prod",
    ]
    assert spec["phases"]["build"]["commands"] == [
        f'shipway push -f "$SHIPWAY_MANIFEST" --env test --json > {IMAGES_FILE}'
    ]
    install = "\n".join(spec["phases"]["install"]["commands"])
    assert "cfn-lint==" in install and "checkov==" in install
    assert spec["env"]["variables"]["SHIPWAY_MANIFEST"] == "app/shipway.yml"
    assert spec["env"]["variables"]["SHIPWAY_PACKAGE"] == "shipway==1.2.3"


def test_a_deploy_installs_no_gates_and_approves_only_when_asked() -> None:
    for approve in (False, True):
        spec = buildspec(deploy_commands("prod", approve=approve), OPTIONS)
        assert list(spec["phases"]) == ["install", "build"]
        assert "checkov" not in "\n".join(spec["phases"]["install"]["commands"])
        (command,) = spec["phases"]["build"]["commands"]
        assert command.endswith("--approve") is approve
        assert "artifacts" not in spec


def test_the_uv_installed_in_codebuild_is_the_makefile_s() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert found is not None and found[1] == UV_VERSION

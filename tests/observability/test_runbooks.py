"""`shipway runbook`: a page per alarm kind, the same alarms the templates hold, and each
example's committed runbooks up to date."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.manifest import load_manifest, resolve
from shipway.observability.runbooks import alarm_instances
from tests.observability.conftest import EXAMPLES, template

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.synthesis import SynthResult

NAMES = ("bootcamp-api", "magic8ball", "three-tier", "profile", "shop-cart")
RUNBOOK = re.compile(r"Runbook: docs/runbooks/([a-z0-9.-]+)\.md$")


def _notifying(result: SynthResult, environment: str) -> set[tuple[str, str]]:
    """(kind, alarm name) of every alarm with actions, the kind read from its runbook link."""
    found = set()
    for resource in template(result, environment)["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"].startswith("AWS::CloudWatch::") and properties.get("AlarmActions"):
            match = RUNBOOK.search(properties["AlarmDescription"])
            assert match, properties["AlarmName"]
            found.add((match.group(1), properties["AlarmName"]))
    return found


@pytest.mark.parametrize(
    ("fixture", "name", "environment"),
    [
        ("three_tier", "three-tier", "prod"),
        ("three_tier", "three-tier", "test"),
        ("bootcamp", "bootcamp-api", "test"),
    ],
)
def test_the_runbook_inventory_is_the_alarms_the_template_holds(
    request: pytest.FixtureRequest, fixture: str, name: str, environment: str
) -> None:
    result: SynthResult = request.getfixturevalue(fixture)
    plan = resolve(load_manifest(EXAMPLES / name / "shipway.yml"), environment)
    listed = {(alarm.kind, alarm.name) for alarm in alarm_instances(plan)}
    assert listed == _notifying(result, environment)


@pytest.mark.parametrize("name", NAMES)
def test_each_example_commits_its_runbooks_up_to_date(name: str, tmp_path: Path) -> None:
    manifest = EXAMPLES / name / "shipway.yml"
    result = CliRunner().invoke(app, ["runbook", "-f", str(manifest), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "runbook page(s)" in result.stdout
    committed = EXAMPLES / name / "docs" / "runbooks"
    written = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.iterdir()}
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in committed.iterdir()}
    assert written == on_disk, (
        f"examples/{name}/docs/runbooks is stale: run "
        f"'shipway runbook -f examples/{name}/shipway.yml'"
    )
    for page in written.values():
        assert "## First three checks" in page or page.startswith("# Runbooks of")


def test_a_page_says_what_it_means_the_checks_with_commands_and_how_to_mitigate(
    tmp_path: Path,
) -> None:
    manifest = EXAMPLES / "three-tier" / "shipway.yml"
    CliRunner().invoke(app, ["runbook", "-f", str(manifest), "--out", str(tmp_path)])
    page = (tmp_path / "slo-availability-page.md").read_text(encoding="utf-8")
    assert "severity: **page**" in page
    assert "| `three-tier-prod-web-slo-availability-page` | prod | web |" in page
    assert "shipway logs web --env prod --since 1h --filter ERROR" in page
    assert "## Mitigate" in page
    low = (tmp_path / "service-cpu-low.md").read_text(encoding="utf-8")
    assert "severity: **ticket**" in low


def test_runbook_without_a_manifest_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["runbook", "-f", str(tmp_path / "missing.yml")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1

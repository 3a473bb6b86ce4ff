"""Running cfn-lint and checkov on synthesized templates, and reading cdk-nag's report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipway.errors import MissingToolError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CHECKOV_ENVIRONMENT = PROJECT_ROOT / "tools" / "checkov" / ".venv" / "bin" / "checkov"
# W3010: the manifest names the AZs on purpose (synthesis needs them without an AWS lookup).
CFN_LINT_IGNORED = ("W3010",)


@dataclass(frozen=True)
class Finding:
    """One problem a gate reported."""

    gate: str
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.gate} {self.rule} {self.where}: {self.message}"


def nag_findings(outdir: Path) -> list[Finding]:
    """Unacknowledged cdk-nag findings from the validation report synth wrote, if any."""
    report = outdir / "validation-report.json"
    if not report.exists():
        return []
    data = json.loads(report.read_text(encoding="utf-8"))
    return [
        Finding(
            "cdk-nag", violation["ruleName"], construct["constructPath"], violation["description"]
        )
        for plugin in data.get("pluginReports", [])
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def _acknowledged_in_template(match: dict[str, Any]) -> bool:
    """The finding's rule is acknowledged for its whole template (Metadata.cfn-lint, written by
    shipway.compliance.acknowledge.ignore_cfn_lint_in_template with its reason). cfn-lint itself
    would honour it, but `--ignore-checks` on its command line replaces a template's own list."""
    template = _template_metadata(match["Filename"])
    ignored = template.get("cfn-lint", {}).get("config", {}).get("ignore_checks", [])
    return match["Rule"]["Id"] in ignored


def _template_metadata(filename: str) -> dict[str, Any]:
    loaded = json.loads(Path(filename).read_text(encoding="utf-8"))
    metadata: dict[str, Any] = loaded.get("Metadata", {})
    return metadata


def cfn_lint_findings(templates: list[Path]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) from cfn-lint over templates."""
    executable = _tool("cfn-lint")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            executable,
            "--format",
            "json",
            "--ignore-checks",
            *CFN_LINT_IGNORED,
            "--",
            *map(str, templates),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode and not result.stdout.strip():
        raise MissingToolError(f"cfn-lint failed to run: {result.stderr.strip()[:500]}")
    matches = [
        match for match in json.loads(result.stdout or "[]") if not _acknowledged_in_template(match)
    ]
    findings = [
        Finding(
            "cfn-lint",
            match["Rule"]["Id"],
            f"{Path(match['Filename']).name}:{match['Location']['Start']['LineNumber']}",
            match["Message"],
        )
        for match in matches
    ]
    errors = [finding for finding in findings if finding.rule.startswith("E")]
    return errors, [finding for finding in findings if not finding.rule.startswith("E")]


def checkov_findings(directory: Path) -> tuple[list[Finding], int]:
    """(failed checks, skipped count) of checkov's CloudFormation framework on directory."""
    executable = str(CHECKOV_ENVIRONMENT) if CHECKOV_ENVIRONMENT.exists() else _tool("checkov")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            executable,
            "-d",
            str(directory),
            "--framework",
            "cloudformation",
            "--quiet",
            "--compact",
            "--skip-download",
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise MissingToolError(f"checkov failed to run: {result.stderr.strip()[-500:]}") from None
    reports = reports if isinstance(reports, list) else [reports]
    failed, skipped = [], 0
    for report in reports:
        results = report.get("results", {})
        skipped += int(report.get("summary", {}).get("skipped", 0))
        failed += [
            Finding(
                "checkov",
                check["check_id"],
                f"{check['file_path'].lstrip('/')} {check['resource']}",
                check["check_name"],
            )
            for check in results.get("failed_checks", [])
        ]
    return failed, skipped


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise MissingToolError(f"{name} is not installed: run 'make setup' (or 'uv sync')")
    return found

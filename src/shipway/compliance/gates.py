"""Running cfn-lint and checkov on synthesized templates, and reading cdk-nag's report."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.errors import MissingToolError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CHECKOV_PYTHON = PROJECT_ROOT / "tools" / "checkov" / ".venv" / "bin" / "python"
PRESTART = Path(__file__).resolve().parent / "prestart.py"
# Only the CloudFormation framework, nothing downloaded, findings as JSON.
CHECKOV_ARGUMENTS = (
    "--framework",
    "cloudformation",
    "--quiet",
    "--compact",
    "--skip-download",
    "-o",
    "json",
)
CHECKOV_ENVIRONMENT_VARIABLES = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
}


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


@dataclass(frozen=True)
class GateReport:
    """What cfn-lint and checkov found in the same templates."""

    lint_errors: list[Finding]
    lint_warnings: list[Finding]
    checkov_failed: list[Finding]
    checkov_skipped: int


class Gates:
    """cfn-lint and checkov, started at once and early: each imports itself while shipway is still
    synthesizing, then both scan the same templates side by side (each template once).

        with Gates() as gates:
            result = synthesize(...)
            report = gates.run(result.templates)

    Leaving the block without run() (synthesis failed) stops both without scanning.
    """

    def __init__(self, *, cfn_lint: bool = True, checkov: bool = True) -> None:
        self._processes: dict[str, subprocess.Popen[str]] = {}
        if cfn_lint:
            self._processes["cfn-lint"] = _prestart(
                _cfn_lint_python(),
                "cfn-lint",
                "--format",
                "json",
            )
        if checkov:
            self._processes["checkov"] = _prestart(
                _checkov_python(), "checkov", *CHECKOV_ARGUMENTS, env=CHECKOV_ENVIRONMENT_VARIABLES
            )

    def __enter__(self) -> Gates:
        return self

    def __exit__(self, *_: object) -> None:
        for process in self._processes.values():
            if process.poll() is None:
                process.kill()
            process.communicate()

    def run(self, templates: Sequence[Path]) -> GateReport:
        """Scan templates with both tools at once; their findings."""
        paths = "".join(f"{template}\n" for template in templates)
        with ThreadPoolExecutor(max_workers=2) as pool:
            outputs = dict(
                zip(
                    self._processes,
                    pool.map(lambda process: process.communicate(paths), self._processes.values()),
                    strict=True,
                )
            )
        lint_errors: list[Finding] = []
        lint_warnings: list[Finding] = []
        failed: list[Finding] = []
        skipped = 0
        if "cfn-lint" in outputs:
            stdout, stderr = outputs["cfn-lint"]
            status = self._processes["cfn-lint"].returncode
            lint_errors, lint_warnings = _cfn_lint_report(stdout, stderr, status)
        if "checkov" in outputs:
            failed, skipped = _checkov_report(*outputs["checkov"])
        return GateReport(lint_errors, lint_warnings, failed, skipped)


def cfn_lint_findings(templates: Sequence[Path]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) from cfn-lint over templates."""
    with Gates(checkov=False) as gates:
        report = gates.run(templates)
    return report.lint_errors, report.lint_warnings


def checkov_findings(templates: Sequence[Path]) -> tuple[list[Finding], int]:
    """(failed checks, skipped count) of checkov's CloudFormation framework over templates."""
    with Gates(cfn_lint=False) as gates:
        report = gates.run(templates)
    return report.checkov_failed, report.checkov_skipped


def _prestart(
    python: str, *arguments: str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [python, str(PRESTART), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _cfn_lint_report(stdout: str, stderr: str, status: int) -> tuple[list[Finding], list[Finding]]:
    if status and not stdout.strip():
        raise MissingToolError(f"cfn-lint failed to run: {stderr.strip()[-500:]}")
    # A rule acknowledged in a template's own Metadata (shipway.compliance.acknowledge) is
    # honoured by cfn-lint itself: no --ignore-checks here, which would replace those lists.
    matches = json.loads(stdout or "[]")
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


def _checkov_report(stdout: str, stderr: str) -> tuple[list[Finding], int]:
    try:
        reports = json.loads(stdout)
    except json.JSONDecodeError:
        raise MissingToolError(f"checkov failed to run: {stderr.strip()[-500:]}") from None
    reports = reports if isinstance(reports, list) else [reports]
    failed, skipped = [], 0
    for report in reports:
        results = report.get("results", {})
        skipped += int(report.get("summary", {}).get("skipped", 0))
        failed += [
            Finding(
                "checkov",
                check["check_id"],
                f"{Path(check['file_path']).name} {check['resource']}",
                check["check_name"],
            )
            for check in results.get("failed_checks", [])
        ]
    return failed, skipped


def _cfn_lint_python() -> str:
    """The Python that has cfn-lint: shipway's own (a dependency), else the one a cfn-lint on
    PATH runs with."""
    if importlib.util.find_spec("cfnlint") is not None:
        return sys.executable
    return _python_of(_tool("cfn-lint"))


def _checkov_python() -> str:
    """checkov's own virtualenv (tools/checkov, `make setup`), else a checkov on PATH's Python."""
    if CHECKOV_PYTHON.exists():
        return str(CHECKOV_PYTHON)
    return _python_of(_tool("checkov"))


def _python_of(script: str) -> str:
    with open(script, "rb") as stream:
        first = stream.readline().decode(errors="replace").strip()
    interpreter = first.removeprefix("#!").split()[0] if first.startswith("#!") else ""
    if "python" not in interpreter:
        raise MissingToolError(f"cannot tell which Python runs {script}: run 'make setup'")
    return interpreter


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise MissingToolError(f"{name} is not installed: run 'make setup' (or 'uv sync')")
    return found

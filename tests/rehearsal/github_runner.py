"""Runs the `run:` steps of a GitHub Actions workflow's jobs on this machine, in order, as the
runner would: `bash --noprofile --norc -eo pipefail` (the workflow's `shell: bash`), the
workflow's, job's and step's `env:`, and the runner's files (GITHUB_OUTPUT, GITHUB_PATH,
GITHUB_STEP_SUMMARY) and RUNNER_TEMP. A `uses:` step cannot run here: the test stands in for each
one with a function that returns the variables the action would export.

Expressions are evaluated for the few forms the generated workflows use (`steps.X.outputs.Y`,
`needs.J.outputs.Y`, `matrix.X` of the one combination a test runs, `github.run_id`); any other
is an error, so nothing is silently skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

StandIn = Callable[[dict[str, Any], dict[str, str]], dict[str, str]]

EXPRESSION = re.compile(r"\$\{\{\s*(?P<expression>[^}]+?)\s*\}\}")


class StepFailedError(AssertionError):
    """A `run:` step exited non-zero; the message holds its output."""

    def __init__(self, job: str, step: str, status: int, output: str) -> None:
        super().__init__(f"job {job}, step {step!r} exited {status}:\n{output[-4000:]}")
        self.status = status
        self.output = output


@dataclass
class StepRun:
    job: str
    name: str
    output: str


@dataclass
class WorkflowRunner:
    """One workflow run: the jobs' outputs, the summary and each step's output so far."""

    workflow: dict[str, Any]
    workdir: Path
    temp: Path
    environment: dict[str, str]
    """The machine's variables (the runner's own, e.g. PATH, HOME)."""
    stand_ins: Mapping[str, StandIn]
    """`uses:` action name (without @ref) → what stands in for it."""
    before_step: Callable[[str, dict[str, Any], dict[str, str]], None] | None = None
    """Called before each `run:` step with the job name, the step and its environment."""
    needs: dict[str, dict[str, str]] = field(default_factory=dict)
    steps_run: list[StepRun] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.matrix: dict[str, str] = {}
        self.summary = self.temp / "step-summary.md"
        self.summary.touch()

    def run_job(
        self,
        name: str,
        *,
        overrides: Mapping[str, str] | None = None,
        matrix: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """Run job `name`'s steps in order; its outputs. overrides: env values a test changes;
        matrix: the one combination of the job's `strategy.matrix` to run (each value listed)."""
        job = self.workflow["jobs"][name]
        listed = job.get("strategy", {}).get("matrix", {})
        for key, value in (matrix or {}).items():
            assert value in listed.get(key, []), f"{key}={value} is not in job {name}'s matrix"
        self.matrix = dict(matrix or {})
        wanted = job.get("needs", [])
        for needed in [wanted] if isinstance(wanted, str) else wanted:
            assert needed in self.needs, f"job {name} needs {needed}, which has not run"
        path_file = self.temp / f"{name}-path"
        path_file.touch()
        environment = {**self.environment, **self.workflow.get("env", {})}
        environment.update(self._evaluate_all(job.get("env", {}), {}))
        steps: dict[str, dict[str, str]] = {}
        for step in job["steps"]:
            step_env = {**environment, **self._evaluate_all(step.get("env", {}), steps)}
            step_env.update(overrides or {})
            extra_path = [line for line in path_file.read_text().splitlines() if line]
            step_env["PATH"] = os.pathsep.join([*reversed(extra_path), self.environment["PATH"]])
            if "uses" in step:
                action = step["uses"].split("@", 1)[0]
                inputs = self._evaluate_all(step.get("with", {}), steps)
                exported = self.stand_ins[action](inputs, step_env)
                environment.update(exported)
                continue
            outputs = self._run(name, step, step_env, path_file)
            if "id" in step:
                steps[step["id"]] = outputs
        produced = self._evaluate_all(job.get("outputs", {}), steps)
        self.needs[name] = produced
        return produced

    def _run(
        self, job: str, step: dict[str, Any], environment: dict[str, str], path_file: Path
    ) -> dict[str, str]:
        script = self.temp / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        output_file = self.temp / "output"
        output_file.write_text("", encoding="utf-8")
        environment = {
            **environment,
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(path_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
        }
        if self.before_step is not None:
            self.before_step(job, step, environment)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],  # noqa: S607
            cwd=self.workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        output = done.stdout + done.stderr
        self.steps_run.append(StepRun(job, step.get("name", step["run"][:40]), output))
        if done.returncode != 0:
            raise StepFailedError(
                job, step.get("name", ""), done.returncode, done.stdout + done.stderr
            )
        outputs = {}
        for line in output_file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
        return outputs

    def _evaluate_all(
        self, values: Mapping[str, Any], steps: dict[str, dict[str, str]]
    ) -> dict[str, str]:
        return {key: self._evaluate(str(value), steps) for key, value in values.items()}

    def _evaluate(self, text: str, steps: dict[str, dict[str, str]]) -> str:
        def value(found: re.Match[str]) -> str:
            parts = found["expression"].split(".")
            if parts[0] == "steps" and parts[2] == "outputs":
                return steps[parts[1]][parts[3]]
            if parts[0] == "needs" and parts[2] == "outputs":
                return self.needs[parts[1]][parts[3]]
            if parts[0] == "matrix":
                return self.matrix[parts[1]]
            if found["expression"] == "github.run_id":
                return "1"
            raise AssertionError(f"expression the rehearsal cannot evaluate: {found[0]}")

        return EXPRESSION.sub(value, text)

"""Runs a CodeBuild buildspec (version 0.2) on this machine as CodeBuild would: its phases in
order (install, pre_build, build, post_build), each command in `env.shell` (bash) in the source
folder (CODEBUILD_SRC_DIR), with the buildspec's `env.variables`, and what a command exports
carried to the next command (CodeBuild runs each command on its own, in the environment the
previous ones left). The first failing command stops the build.

What CodeBuild itself provides (its variables, the project role's credentials, the secondary
artifact folders) the test passes in as `environment`.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

PHASES = ("install", "pre_build", "build", "post_build")


class BuildFailedError(AssertionError):
    """A command exited non-zero; the message holds its output."""

    def __init__(self, phase: str, command: str, status: int, output: str) -> None:
        super().__init__(f"phase {phase}, command {command!r} exited {status}:\n{output[-4000:]}")
        self.status = status
        self.output = output


@dataclass
class CommandRun:
    phase: str
    command: str
    output: str


@dataclass
class BuildRunner:
    """One build of a buildspec, and each command's output."""

    buildspec: dict[str, Any]
    source: Path
    temp: Path
    commands_run: list[CommandRun] = field(default_factory=list)

    def run(self, environment: Mapping[str, str], overrides: Mapping[str, str]) -> None:
        """Run every phase's commands in order. environment: CodeBuild's and the machine's
        variables; overrides: buildspec variables the rehearsal replaces (what to install)."""
        assert self.buildspec["version"] == "0.2"
        assert self.buildspec["env"]["shell"] == "bash"
        carried = self.temp / "exported.sh"
        variables = {**environment, **self.buildspec["env"]["variables"], **overrides}
        carried.write_text(
            "".join(f"export {name}={shlex.quote(value)}\n" for name, value in variables.items()),
            encoding="utf-8",
        )
        for phase in PHASES:
            for command in self.buildspec["phases"].get(phase, {}).get("commands", []):
                self._run(phase, command, carried)

    def _run(self, phase: str, command: str, carried: Path) -> None:
        script = self.temp / "command.sh"
        # The environment the previous commands left, the command, then what it leaves.
        script.write_text(
            f'. "{carried}"\n{command}\nstatus=$?\nexport -p > "{carried}"\nexit $status\n',
            encoding="utf-8",
        )
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", str(script)],  # noqa: S607 - the buildspec's shell
            cwd=self.source,
            env={},  # everything comes from the carried environment
            capture_output=True,
            text=True,
            timeout=1500,
            check=False,
        )
        output = done.stdout + done.stderr
        self.commands_run.append(CommandRun(phase, command, output))
        if done.returncode != 0:
            raise BuildFailedError(phase, command, done.returncode, output)

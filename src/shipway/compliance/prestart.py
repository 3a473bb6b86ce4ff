"""Start a gate's tool before there is anything to scan: import it now, run it when told what.

cfn-lint and checkov each spend seconds importing themselves before they look at a template.
`shipway check` starts them while it synthesizes (the CDK mostly waits on Node, one core), so
their import overlaps synthesis; the templates then come on standard input, one path a line.
Run as a script by the tool's own Python (checkov lives in its own virtualenv), so this file
imports nothing of shipway:

    python prestart.py cfn-lint|checkov ARGUMENT... < paths

No paths (standard input closed empty: synthesis failed) exits 0 without scanning.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


def main() -> int:
    tool, *arguments = sys.argv[1:]
    if tool == "checkov":
        from checkov.main import Checkov  # type: ignore[import-not-found]  # its own venv
    else:
        lint = preloaded_cfn_lint(arguments)
    paths = [line for line in sys.stdin.read().splitlines() if line]
    if not paths:
        return 0
    if tool == "checkov":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=SyntaxWarning)
            return int(Checkov([*arguments, "--file", *paths]).run() or 0)
    try:
        lint([*arguments, "--", *paths])  # exits with cfn-lint's status
    except SystemExit as done:
        return exit_status(done)
    return 0


def preloaded_cfn_lint(arguments: list[str]) -> Callable[[list[str]], None]:
    """cfn-lint's command line with its 300-odd rules already made: making them (importing each
    rule and the data files some load) took 0.23 s of every run, now spent while shipway
    synthesizes. Each run still gets a Runner of its own, as `cfn-lint` makes one."""
    from cfnlint.config import ConfigMixIn  # type: ignore[import-untyped]
    from cfnlint.runner.cli import Runner  # type: ignore[import-untyped]

    class PreloadedRunner(Runner):  # type: ignore[misc]
        made: Any = None

        def _get_rules(self) -> None:
            if PreloadedRunner.made is None:
                super()._get_rules()
                PreloadedRunner.made = self.rules  # type: ignore[has-type]
            self.rules = PreloadedRunner.made

    PreloadedRunner(ConfigMixIn(arguments))  # the same options: the same rules

    def lint(argv: list[str]) -> None:
        PreloadedRunner(ConfigMixIn(argv)).cli()

    return lint


def exit_status(done: SystemExit) -> int:
    """The status sys.exit(...) asked for; a message (sys.exit("why")) is printed, status 1."""
    if done.code is None or isinstance(done.code, int):
        return done.code or 0
    sys.stderr.write(f"{done.code}\n")
    return 1


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The report is written: skip the interpreter's teardown. Unloading checkov's thousands of
    # modules and joining its multiprocessing helpers took 0.44 s after its last byte of output
    # (its scan of a one-resource template: 0.03 s), all of it on `shipway check`'s wait.
    os._exit(status)

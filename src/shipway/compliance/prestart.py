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

import sys
import warnings


def main() -> int:
    tool, *arguments = sys.argv[1:]
    if tool == "checkov":
        from checkov.main import Checkov  # type: ignore[import-not-found]  # its own venv
    else:
        from cfnlint.runner import main as cfn_lint  # type: ignore[import-untyped]
    paths = [line for line in sys.stdin.read().splitlines() if line]
    if not paths:
        return 0
    if tool == "checkov":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=SyntaxWarning)
            return Checkov([*arguments, "--file", *paths]).run() or 0
    sys.argv = ["cfn-lint", *arguments, "--", *paths]
    cfn_lint()  # exits with cfn-lint's status
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The actions generated workflows use, pinned by full commit SHA (a tag can be moved; a commit
cannot), with the release each commit is, and the tools they install, pinned by version.

Where each SHA was read (no network to GitHub here): public workflows and docs that pin it with a
version comment, found in the code index (file ids of the search tool), and agreeing with each
other: checkout 08c6903c... as "# v5.0.0" in eight unrelated repositories (e.g. ids 58273193690,
68919241311, 29062750266); setup-uv e92bafb6... as "# v6.4.3" in five (61932581927, 70994864664,
59707861401, 30615200994, 60361636720); configure-aws-credentials a03048d8... as "# v5.0.0" in
four (32962713458, 69462277151, 69516749769, 43520326790). Bump them together, by hand, from the
actions' release pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PinnedAction:
    """`owner/name@sha  # version`."""

    name: str
    sha: str
    version: str

    def uses(self) -> str:
        return f"{self.name}@{self.sha} # {self.version}"


CHECKOUT = PinnedAction("actions/checkout", "08c6903cd8c0fde910a37f88322edcfb5dd907a8", "v5.0.0")
SETUP_UV = PinnedAction("astral-sh/setup-uv", "e92bafb6253dcd438e0484186d7669ea7a8ca1cc", "v6.4.3")
AWS_CREDENTIALS = PinnedAction(
    "aws-actions/configure-aws-credentials", "a03048d87541d1d9fcf2ecf528a4a65ba9bd7838", "v5.0.0"
)
ACTIONS = (CHECKOUT, SETUP_UV, AWS_CREDENTIALS)

RUNNER = "ubuntu-latest"
PYTHON = "3.11"
# What `shipway check` runs in CI, at the versions shipway is tested with (uv.lock and
# tools/checkov/uv.lock; a test keeps these in step), and the CDK CLI of tools/cdk-cli.
CFN_LINT_VERSION = "1.58.0"
CHECKOV_VERSION = "3.3.30"
CDK_CLI_VERSION = "2.1148.1"
CDK_CLI_INTEGRITY = (
    "sha512-K3d02L17IwmAuiBWNuX1DzYhKUs9GrKYI7bZnGJfJ1bKz9ymXFxfudBOL3rUb8JAusDNSULiQU2fsJH7kyY2XA"
    "=="
)
# The Node of tools/node (Node 24 LTS), installed beside the CLI: jsii and the CLI run on it.
NODE_VERSION = "24.22.3"
NODE_INTEGRITY = (
    "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA"
    "=="
)
# The uv a CodeBuild project installs shipway with: the Makefile's (a test keeps them in step).
UV_VERSION = "0.13.8"

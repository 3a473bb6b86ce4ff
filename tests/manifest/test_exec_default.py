"""Where ECS Exec is on: `exec` when written (per environment too), else where deploying needs
no approval; never on Express, which has none."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from shipway.manifest import load_manifest, resolve

if TYPE_CHECKING:
    from pathlib import Path

MANIFEST = """\
name: shop
environments:
  test: {account: "123456789012", region: us-east-1}
  staging: {account: "123456789012", region: us-east-1, requires_approval: true}
  prod: {account: "123456789012", region: us-east-1}
  sandbox: {account: "123456789012", region: us-east-1, requires_approval: false}
services:
  web: {image: {uri: public.ecr.aws/nginx/nginx:1.27}}
  api:
    type: backend
    image: {uri: public.ecr.aws/nginx/nginx:1.27}
    environments:
      prod: {exec: true}
      test: {exec: false}
  site:
    image: {uri: public.ecr.aws/nginx/nginx:1.27}
    compute: express
    readonly_root_filesystem: false
    user: null
    accept_express_limits: true
"""


def _exec_on(tmp_path: Path) -> dict[str, list[str]]:
    path = tmp_path / "shipway.yml"
    path.write_text(textwrap.dedent(MANIFEST), encoding="utf-8")
    manifest = load_manifest(path)
    return {
        environment: [service.name for service in resolve(manifest, environment).exec_services]
        for environment in ("test", "staging", "prod", "sandbox", "dev")
    }


def test_exec_follows_approval_unless_the_manifest_says(tmp_path: Path) -> None:
    assert _exec_on(tmp_path) == {
        "test": ["web"],  # api: exec false in test
        "staging": [],  # requires_approval: true
        "prod": ["api"],  # prod needs approval by default; api asks for exec there
        "sandbox": ["web", "api"],  # requires_approval: false
        "dev": ["web", "api"],  # shipway dev: nothing to approve
    }

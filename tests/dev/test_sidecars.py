"""How a service's sidecars are planned for `shipway dev` (src/shipway/dev/sidecars.py)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from shipway.dev.plan import plan_dev
from shipway.secret.local import MissingSecretError

if TYPE_CHECKING:
    from pathlib import Path

    from tests.dev.conftest import WriteManifest

MANIFEST = """
    services:
      api:
        image: {build: {context: .}}
        sidecars:
          proxy:
            image: public.ecr.aws/docker/library/busybox:1.37
            secrets: {PROXY_KEY: proxy-key}
            local: {command: "python -m proxy --port 9000", cwd: tools}
          agent:
            image: public.ecr.aws/docker/library/busybox:1.37
            secrets: {AGENT_KEY: agent-key}
"""


def test_a_sidecar_with_a_local_command_is_planned_and_one_without_is_listed(
    write_manifest: WriteManifest, app_dir: Path
) -> None:
    (app_dir / ".shipway").mkdir()
    (app_dir / ".shipway" / "secrets.env").write_text("proxy-key=k\n", encoding="utf-8")
    plan = plan_dev(write_manifest(MANIFEST))

    [proxy] = plan.services["api"].sidecars
    assert proxy.label == "api/proxy"
    assert proxy.argv == [sys.executable, "-m", "proxy", "--port", "9000"]
    assert proxy.cwd == (app_dir / "tools").resolve()
    assert proxy.environment(plan.secrets.referenced) == {"PROXY_KEY": "k", "HOST": "127.0.0.1"}
    # agent's secret needs no local value: it does not run locally
    assert plan.sidecars_not_run == ("api/agent",)


def test_a_local_sidecars_secret_without_a_local_value_is_named(
    write_manifest: WriteManifest,
) -> None:
    with pytest.raises(MissingSecretError) as missing:
        plan_dev(write_manifest(MANIFEST))
    assert "'api/proxy' needs secret 'proxy-key' (secrets.PROXY_KEY)" in str(missing.value)

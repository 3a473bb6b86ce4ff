"""Bad sidecars, log routing, platforms and env files: one located line and exit status 2
(through the real CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.manifest import load_manifest
from tests.manifest.located import assert_one_located_error

if TYPE_CHECKING:
    from pathlib import Path

HEAD = """\
name: shop
environments:
  test:
    account: "123456789012"
    region: us-east-1
services:
  web:
    image: {uri: public.ecr.aws/nginx/nginx:1.27}
"""
BOX = "public.ecr.aws/docker/library/busybox:1.37"
EXPRESS = "    compute: express\n    readonly_root_filesystem: false\n    user: null\n"
EXPRESS += "    accept_express_limits: true\n"
ENV_FILES = {
    "good.env": "GREETING=hello\n",
    "secret.env": "# settings\nGREETING=hello\nDB_PASSWORD=hunter2\n",
    "broken.env": "GREETING=hello\nexport TWO WORDS\n",
    "quoted.env": 'GREETING="hello"\n',
    "settings.txt": "GREETING=hello\n",
}

# (case id, manifest text, expected line, words the message must contain)
CASES = [
    (
        "sidecar-on-express",
        HEAD + EXPRESS + f"    sidecars: {{proxy: {{image: {BOX}}}}}\n",
        13,
        ["services.web.sidecars", "Express Mode runs one container", "compute: fargate"],
    ),
    (
        "firelens-on-express",
        HEAD + EXPRESS + "    logging: {destination: firelens}\n",
        13,
        ["services.web.logging", "no FireLens router"],
    ),
    (
        "env-file-on-express",
        HEAD + EXPRESS + "    env_file: good.env\n",
        13,
        ["services.web.env_file", "no environment files"],
    ),
    (
        "arm64-on-express",
        HEAD + EXPRESS + "    platform: arm64\n",
        13,
        ["services.web.platform", "x86_64 tasks only"],
    ),
    (
        "sidecar-on-ec2",
        HEAD + f"    compute: ec2\n    sidecars: {{proxy: {{image: {BOX}}}}}\n",
        10,
        ["services.web.sidecars", "run on Fargate"],
    ),
    (
        "unknown-dependency",
        HEAD + f"    sidecars:\n      proxy: {{image: {BOX}, depends_on: {{db: START}}}}\n",
        10,
        ["services.web.sidecars", "proxy depends on 'db', which is not a container", "app, proxy"],
    ),
    (
        "main-waits-for-unknown-sidecar",
        HEAD + "    depends_on: {proxy: START}\n",
        9,
        ["services.web.depends_on", "app depends on 'proxy'"],
    ),
    (
        "healthy-without-a-check",
        HEAD + f"    depends_on: {{proxy: HEALTHY}}\n    sidecars: {{proxy: {{image: {BOX}}}}}\n",
        9,
        ["services.web.depends_on", "'proxy' has no container health check", "wait for START"],
    ),
    (
        "success-of-an-essential-sidecar",
        HEAD + "    depends_on: {migrate: SUCCESS}\n"
        f"    sidecars: {{migrate: {{image: {BOX}}}}}\n",
        9,
        ["services.web.depends_on", "'migrate' is essential", "sidecars.migrate.essential: false"],
    ),
    (
        "sidecar-waits-for-the-app-to-complete",
        HEAD + f"    sidecars: {{flush: {{image: {BOX}, depends_on: {{app: COMPLETE}}}}}}\n",
        9,
        ["services.web.sidecars", "'app' is essential", "wait for START or HEALTHY"],
    ),
    (
        "circular-dependencies",
        HEAD + "    depends_on: {proxy: START}\n"
        f"    sidecars: {{proxy: {{image: {BOX}, depends_on: {{app: START}}}}}}\n",
        10,
        ["services.web.sidecars", "in a circle (app -> proxy -> app)"],
    ),
    (
        "reserved-sidecar-name",
        HEAD + f"    sidecars: {{log-router: {{image: {BOX}}}}}\n",
        9,
        ["services.web.sidecars", "'log-router' is the name shipway gives the FireLens"],
    ),
    (
        "bad-condition",
        HEAD + f"    sidecars: {{proxy: {{image: {BOX}, depends_on: {{app: READY}}}}}}\n",
        9,
        ["services.web.sidecars.proxy.depends_on.app", "'READY' is not allowed", "HEALTHY"],
    ),
    (
        "sidecar-health-command",
        HEAD + f"    sidecars:\n      proxy:\n        image: {BOX}\n"
        "        health_check: {command: [curl, localhost]}\n",
        12,
        ["services.web.sidecars.proxy.health_check.command", "begin with 'CMD'"],
    ),
    (
        "unknown-platform",
        HEAD + "    platform: arm\n",
        9,
        ["services.web.platform", "'arm' is not allowed", "x86_64", "arm64"],
    ),
    (
        "arm64-on-fargate-spot",
        HEAD + "    compute: fargate_spot\n    platform: arm64\n",
        10,
        ["services.web.platform", "Fargate Spot does not run ARM64 tasks"],
    ),
    (
        "arm64-on-ec2",
        HEAD + "    compute: ec2\n    platform: arm64\n",
        10,
        ["services.web.platform", "EC2 capacity is x86_64"],
    ),
    (
        "env-file-missing",
        HEAD + "    env_file: missing.env\n",
        9,
        ["services.web.env_file", "'missing.env' is not a file beside the manifest"],
    ),
    (
        "env-file-with-a-secret",
        HEAD + "    env_file: secret.env\n",
        9,
        ["services.web.env_file", "secret.env:3: DB_PASSWORD looks like a secret", "'secrets:'"],
    ),
    (
        "env-file-not-dotenv",
        HEAD + "    env_file: broken.env\n",
        9,
        ["services.web.env_file", "broken.env:2:", "is not NAME=value"],
    ),
    (
        "env-file-quotes",
        HEAD + "    env_file: quoted.env\n",
        9,
        ["services.web.env_file", "quoted.env:1:", "in quotes, which ECS keeps"],
    ),
    (
        "env-file-suffix",
        HEAD + "    env_file: settings.txt\n",
        9,
        ["services.web.env_file", "named *.env only"],
    ),
    (
        "env-file-in-an-override",
        HEAD + "    environments:\n      test: {env_file: missing.env}\n",
        10,
        ["services.web.environments.test.env_file", "'missing.env' is not a file"],
    ),
    (
        "job-env-file-with-a-secret",
        HEAD + "jobs:\n  sweep:\n    image: {service: web}\n    schedule: rate(1 day)\n"
        "    env_file: secret.env\n",
        13,
        ["jobs.sweep.env_file", "DB_PASSWORD looks like a secret"],
    ),
    (
        "job-platform-differs-from-its-service",
        HEAD + "    platform: arm64\njobs:\n  sweep:\n    image: {service: web}\n"
        "    schedule: rate(1 day)\n    platform: x86_64\n",
        14,
        ["jobs.sweep.platform", "service 'web'", "built for arm64", "set the job's platform"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_container_settings_give_one_located_error(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    for name, content in ENV_FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    assert_one_located_error(tmp_path, text, line, words)


def test_a_sidecars_numbers_and_booleans_become_text_as_a_services_do(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        HEAD
        + f"    sidecars: {{proxy: {{image: {BOX}, environment: {{PORT: 9000, ON: true}}}}}}\n",
        encoding="utf-8",
    )
    sidecar = load_manifest(manifest).application.services["web"].sidecars["proxy"]
    assert sidecar.environment == {"PORT": "9000", "ON": "true"}

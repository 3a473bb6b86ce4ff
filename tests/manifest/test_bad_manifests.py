"""Each bad manifest produces one located line and exit status 2 (through the real CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from tests.manifest.located import assert_one_located_error

if TYPE_CHECKING:
    from pathlib import Path

HEAD = """\
name: shop
environments:
  test:
    account: "123456789012"
    region: us-east-1
"""

SERVICE = """\
services:
  web:
    image: {uri: public.ecr.aws/nginx/nginx:1.27}
"""

CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/" + "0" * 36
# (case id, manifest text, expected line, words the message must contain)
CASES = [
    ("yaml-syntax", HEAD + "services: {web: [\n", 7, ["YAML syntax error"]),
    (
        "unknown-key",
        HEAD + SERVICE + "    prot: 8080\n",
        9,
        ["services.web.prot", "unknown key 'prot'", "did you mean 'port'"],
    ),
    ("wrong-type", HEAD + SERVICE + "    port: eighty\n", 9, ["services.web.port", "integer"]),
    (
        "slo-availability-range",
        HEAD + SERVICE + "    slo: {availability: 100}\n",
        9,
        ["services.web.slo.availability", "less than 100"],
    ),
    (
        "slo-without-objective",
        HEAD + SERVICE + "    slo: {window_days: 30}\n",
        9,
        ["services.web.slo", "give 'availability'"],
    ),
    (
        "slo-on-backend",
        HEAD + SERVICE + "    type: backend\n    slo: {availability: 99.9}\n",
        10,
        ["services.web.slo", "only web services have an SLO", "web service that calls"],
    ),
    (
        "fargate-cpu",
        HEAD + SERVICE + "    cpu: 300\n",
        9,
        ["services.web.cpu", "300 is not a Fargate size (256, 512, 1024, 2048, 4096, 8192, 16384)"],
    ),
    (
        "fargate-memory",
        HEAD + SERVICE + "    cpu: 256\n    memory: 4096\n",
        10,
        ["services.web.memory", "does not fit cpu 256: allowed 512, 1024, 2048 MiB"],
    ),
    (
        "undefined-env",
        HEAD + SERVICE + "    environments:\n      staging: {count: 3}\n",
        10,
        ["services.web.environments.staging", "environment 'staging' is not defined", "defined"],
    ),
    (
        "duplicate-service",
        HEAD + SERVICE + "  web:\n    image: {uri: x}\n",
        9,
        ["duplicate key 'web'"],
    ),
    (
        "bad-cidr",
        HEAD + "    vpc_cidr: 10.0.0.1/16\n",
        6,
        ["environments.test.vpc_cidr", "not an IPv4 network"],
    ),
    (
        "path-collision",
        HEAD + SERVICE + "  admin:\n    image: {uri: x}\n",
        9,
        ["is already routed to service 'web'"],
    ),
    (
        "nat-over-zones",
        HEAD + "    nat_gateways: 3\n",
        6,
        ["environments.test.nat_gateways", "more than the 2 availability zones"],
    ),
    ("one-zone", HEAD + "    availability_zones: 1\n", 6, ["availability_zones", "at least 2"]),
    ("missing-environments", "name: shop\n", 1, ["environments", "required"]),
    (
        "two-image-sources",
        HEAD + "services:\n  web:\n    image: {uri: x, build: {context: .}}\n",
        8,
        ["services.web.image", "exactly one of 'build'"],
    ),
    (
        "unknown-table-in-uses",
        HEAD + SERVICE + "    uses: [user]\ntables:\n  users: {partition_key: id}\n",
        9,
        ["services.web.uses.0", "name 'user' is not defined", "did you mean 'users'"],
    ),
    (
        "loader-table-undefined",
        HEAD + "buckets:\n  imports:\n    loader: {table: items}\n",
        8,
        ["buckets.imports.loader.table", "table 'items' is not defined"],
    ),
    (
        "bad-account",
        HEAD.replace('"123456789012"', '"12345"'),
        4,
        ["environments.test.account", "'12345' is not valid"],
    ),
    (
        "bad-service-type",
        HEAD + SERVICE + "    type: frontend\n",
        9,
        ["services.web.type", "'frontend' is not allowed", "'web', 'backend'"],
    ),
    (
        "bad-service-name",
        HEAD + "services:\n  Web_1:\n    image: {uri: x}\n",
        7,
        ["services.Web_1", "'Web_1' is not a valid name", "lower-case letters"],
    ),
    (
        "override-bad-cpu",
        HEAD + SERVICE + "    environments:\n      test: {cpu: 100}\n",
        10,
        [
            "services.web.environments.test.cpu",
            "100 is not a Fargate size",
            "in environment 'test'",
        ],
    ),
    (
        "privileged-port",
        HEAD + SERVICE + "    port: 80\n",
        9,
        ["services.web.port", "greater than or equal to 1024"],
    ),
    (
        "name-clash",
        HEAD + SERVICE + "tables:\n  web: {partition_key: id}\n",
        10,
        ["tables.web", "already the name of one of the services"],
    ),
    (
        "health-timeout",
        HEAD + SERVICE + "    health_check: {interval: 5, timeout: 5}\n",
        9,
        ["services.web.health_check.timeout", "must be less than interval"],
    ),
    ("not-a-mapping", "- just\n- a list\n", 1, ["must be a mapping"]),
    ("unknown-top-level", HEAD + "servces: {}\n", 6, ["did you mean 'services'"]),
    (
        "construct-id-clash",
        HEAD + SERVICE + "  web-2:\n    image: {uri: x}\n    routing: {path: /a}\n"
        "  web2:\n    image: {uri: x}\n    routing: {path: /b}\n",
        12,
        ["services.web2", "'web2' and 'web-2' would both be ServiceWeb2", "rename one"],
    ),
    (
        "loader-name-clash",
        HEAD + SERVICE + "  raw-loader:\n    type: backend\n    image: {uri: x}\n"
        "tables: {t: {partition_key: id}}\nbuckets:\n  raw: {loader: {table: t}}\n",
        9,
        ["services.raw-loader", "name shipway gives bucket 'raw''s loader"],
    ),
    (
        "express-two-metrics",
        HEAD + SERVICE + "    compute: express\n    autoscaling: {cpu: 50, memory: 50}\n",
        10,
        ["services.web.autoscaling", "one metric", "cpu and memory"],
    ),
    (
        "express-no-metric",
        HEAD + SERVICE + "    compute: express\n    autoscaling: {cpu: null}\n",
        10,
        ["services.web.autoscaling", "needs one metric"],
    ),
    (
        "express-routing",
        HEAD + SERVICE + "    compute: express\n    routing: {path: /api}\n",
        10,
        ["services.web.routing", "its own load balancer"],
    ),
    (
        "express-health-interval",
        HEAD + SERVICE + "    compute: express\n    health_check: {interval: 30}\n",
        10,
        ["services.web.health_check", "checks only the path", "health_check.interval"],
    ),
    (
        "express-read-only-root",
        HEAD + SERVICE + "    compute: express\n    readonly_root_filesystem: true\n",
        10,
        ["services.web.readonly_root_filesystem", "no read-only root filesystem setting"],
    ),
    (
        "express-limits-not-accepted",
        HEAD + SERVICE + "    compute: express\n",
        8,
        ["services.web", "accept_express_limits", "access logs", "public subnets", "fargate"],
    ),
    (
        "express-limits-on-fargate",
        HEAD + SERVICE + "    accept_express_limits: true\n",
        9,
        ["services.web.accept_express_limits", "only an Express service"],
    ),
    (
        "express-backend",
        HEAD + "services:\n  api:\n    type: backend\n    compute: express\n    image: {uri: x}\n",
        8,
        ["services.api.type", "public web service"],
    ),
    (
        "backend-requests-per-target",
        HEAD + "services:\n  api:\n    type: backend\n    image: {uri: x}\n"
        "    autoscaling: {requests_per_target: 100}\n",
        10,
        ["services.api.autoscaling", "requests_per_target needs a load balancer"],
    ),
    (
        "partition-key-per-environment",
        HEAD + "tables:\n  users:\n    partition_key: id\n"
        "    environments:\n      test: {partition_key: username}\n",
        10,
        [
            "tables.users.environments.test.partition_key",
            "must be the same in every environment",
        ],
    ),
    (
        "service-type-per-environment",
        HEAD + SERVICE + "    environments:\n      test: {type: backend}\n",
        10,
        ["services.web.environments.test.type", "must be the same in every environment"],
    ),
    (
        "override-breaks-min-below-max",
        HEAD + SERVICE + "    autoscaling: {min: 3, max: 4}\n"
        "    environments:\n      test:\n        autoscaling: {max: 2}\n",
        12,
        [
            "services.web.environments.test.autoscaling.min",
            "3 is more than max (2)",
            "in environment 'test'",
        ],
    ),
    (
        "uses-not-indented",
        HEAD + SERVICE + "  uses: [users]\n",
        9,
        ["services.uses", "got a list", "did you mean to indent 'uses' under the service?"],
    ),
    (
        "unquoted-account",
        HEAD.replace('"123456789012"', "123456789012"),
        4,
        ["environments.test.account", "reads as a number", 'quote it ("123456789012")'],
    ),
    (
        "account-lost-its-zeros",
        HEAD.replace('"123456789012"', "012345678901"),
        4,
        ["environments.test.account", "leading zeros"],
    ),
    (
        "bad-region",
        HEAD.replace("us-east-1", "useast1"),
        5,
        ["environments.test.region", "area-location-number", "us-east-1"],
    ),
    (
        "non-printable",
        HEAD + 'tags: {team: "a\x1bb"}\n',
        6,
        ["non-printable character U+001B"],
    ),
    ("deep-nesting", HEAD + "tags: " + "[" * 1000 + "]" * 1000 + "\n", 6, ["nested more than"]),
    (
        "alias-bomb",
        HEAD
        + "".join(
            f"x{level}: &x{level} ["
            + ", ".join([f"*x{level - 1}" if level else '"lol"'] * 9)
            + "]\n"
            for level in range(9)
        ),
        10,
        ["aliases expand this manifest past"],
    ),
    ("custom-tag", HEAD + "tags: !shell {team: a}\n", 6, ["YAML tag !shell is not supported"]),
    (
        "anchor-defined-twice",
        HEAD + "tags: {a: &x one, b: &x two}\n",
        6,
        ["anchor &x is defined twice (first on line 6)"],
    ),
    (
        "seed-without-loader",
        HEAD + "buckets:\n  raw: {}\nseed:\n  - {bucket: raw, file: a.json}\n",
        9,
        ["seed.0.bucket", "has no loader"],
    ),
    (
        "bake-time-unit",
        HEAD + SERVICE + "    deployment: {strategy: blue_green, bake_time: 5 minutes}\n",
        9,
        ["services.web.deployment.bake_time", "'5 minutes' is not a duration", "5m"],
    ),
    (
        "bake-time-too-long",
        HEAD + SERVICE + "    deployment: {strategy: canary, bake_time: 25h}\n",
        9,
        ["services.web.deployment.bake_time", "at most 1440m"],
    ),
    (
        "bake-time-rolling",
        HEAD + SERVICE + "    deployment: {bake_time: 5m}\n",
        9,
        ["services.web.deployment", "only blue_green and canary deployments bake"],
    ),
    (
        "deployment-strategy",
        HEAD + SERVICE + "    deployment: green_blue\n",
        9,
        ["services.web.deployment", "'green_blue' is not allowed", "'blue_green', 'canary'"],
    ),
    (
        "pipeline-connection",
        HEAD + "pipeline: {provider: codepipeline, connection_arn: github, repository: a/b}\n",
        6,
        ["pipeline.connection_arn", "arn:aws"],
    ),
    (
        "pipeline-provider",
        HEAD
        + "pipeline: {provider: jenkins, repository: a/b, connection_arn: "
        + CONNECTION
        + "}\n",
        6,
        ["pipeline.provider", "'codepipeline'"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_manifest_is_one_located_line_and_exit_2(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    assert_one_located_error(tmp_path, text, line, words)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "-f", str(tmp_path / "nope.yml")])
    assert result.exit_code == 2
    assert "file not found" in result.stderr


def test_cache_and_table_values_differ_per_environment(tmp_path: Path) -> None:
    from shipway.manifest import load_manifest, resolve

    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        HEAD.replace(
            "  test:", "  prod:\n    account: '123456789012'\n    region: us-east-1\n  test:"
        )
        + "caches:\n  session:\n    replicas: 2\n    environments:\n      test: {replicas: 0}\n"
        + "tables:\n  users:\n    partition_key: id\n    environments:\n"
        + "      prod: {billing: provisioned}\n",
        encoding="utf-8",
    )
    loaded = load_manifest(manifest)
    test, prod = resolve(loaded, "test"), resolve(loaded, "prod")
    assert test.caches["session"].spec.replicas == 0
    assert prod.caches["session"].spec.replicas == 2
    assert prod.tables["users"].spec.billing == "provisioned"
    assert test.tables["users"].spec.billing == "on_demand"


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        (
            "caches:\n  session:\n    environments:\n      staging: {replicas: 0}\n",
            9,
            ["caches.session.environments.staging", "environment 'staging' is not defined"],
        ),
        (
            "caches:\n  session:\n    environments:\n      test: {replicas: 9}\n",
            9,
            ["caches.session.environments.test.replicas", "less than or equal to 5"],
        ),
    ],
)
def test_data_overrides_are_checked(
    tmp_path: Path, extra: str, line: int, words: list[str]
) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(HEAD + extra, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "-f", str(manifest)])
    assert result.exit_code == 2
    lines = [entry for entry in result.stderr.splitlines() if entry.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{manifest}:{line}:"), lines
    for word in words:
        assert word in lines[0]


def test_route_collision_created_by_an_environment_override(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(
        HEAD + SERVICE + "  admin:\n    image: {uri: x}\n    routing: {path: /admin}\n"
        "    environments:\n      test: {routing: {path: /}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", "-f", str(manifest)])
    assert result.exit_code == 2
    assert "path / is already routed to service 'web'" in result.stderr

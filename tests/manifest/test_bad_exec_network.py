"""Bad `exec` and `network` entries: one located line and exit status 2 (through the real CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

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
PUBLIC = """\
      public_subnets:
        - {id: subnet-0aaaaaaaaaaaaaa01, az: us-east-1a}
        - {id: subnet-0aaaaaaaaaaaaaa02, az: us-east-1b}
"""
PRIVATE = """\
      private_subnets:
        - {id: subnet-0bbbbbbbbbbbbbb01, az: us-east-1a}
        - {id: subnet-0bbbbbbbbbbbbbb02, az: us-east-1b}
"""
NETWORK = "    network:\n      vpc_id: vpc-0a1b2c3d4e5f60718\n"
EXPRESS = """\
services:
  site:
    image: {uri: public.ecr.aws/nginx/nginx:1.27}
    compute: express
    readonly_root_filesystem: false
    user: null
    accept_express_limits: true
"""

# (case id, manifest text, expected line, words the message must contain)
CASES = [
    (
        "vpc-id-shape",
        HEAD + "    network:\n      vpc_id: vpc-123\n" + PUBLIC + PRIVATE,
        7,
        ["environments.test.network.vpc_id", "vpc-"],
    ),
    (
        "subnet-id-shape",
        HEAD + NETWORK + PUBLIC + "      private_subnets:\n        - {id: sub-1, az: us-east-1a}\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb02, az: us-east-1b}\n",
        12,
        ["environments.test.network.private_subnets.0.id", "subnet-"],
    ),
    (
        "one-subnet",
        HEAD + NETWORK + PUBLIC
        + "      private_subnets:\n        - {id: subnet-0bbbbbbbbbbbbbb01, az: us-east-1a}\n",
        12,
        ["environments.test.network.private_subnets", "at least 2"],
    ),
    (
        "two-subnets-in-one-zone",
        HEAD + NETWORK + PUBLIC + "      private_subnets:\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb01, az: us-east-1a}\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb02, az: us-east-1a}\n",
        12,
        ["environments.test.network.private_subnets: two subnets in us-east-1a", "one subnet"],
    ),
    (
        "tiers-in-different-zones",
        HEAD + NETWORK + PUBLIC + "      private_subnets:\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb01, az: us-east-1a}\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb02, az: us-east-1c}\n",
        7,
        ["environments.test.network", "same availability zones"],
    ),
    (
        "subnet-in-both-tiers",
        HEAD + NETWORK + PUBLIC + "      private_subnets:\n"
        "        - {id: subnet-0aaaaaaaaaaaaaa01, az: us-east-1a}\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb02, az: us-east-1b}\n",
        7,
        ["environments.test.network", "subnet-0aaaaaaaaaaaaaa01 is listed twice"],
    ),
    (
        "zone-of-another-region",
        HEAD + NETWORK + "      public_subnets:\n"
        "        - {id: subnet-0aaaaaaaaaaaaaa01, az: eu-west-1a}\n"
        "        - {id: subnet-0aaaaaaaaaaaaaa02, az: eu-west-1b}\n"
        "      private_subnets:\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb01, az: eu-west-1a}\n"
        "        - {id: subnet-0bbbbbbbbbbbbbb02, az: eu-west-1b}\n",
        7,
        ["environments.test.network", "eu-west-1a, eu-west-1b is not an availability zone of "
         "us-east-1"],
    ),
    (
        "network-with-nat-gateways",
        HEAD + "    nat_gateways: 1\n" + NETWORK + PUBLIC + PRIVATE,
        6,
        ["environments.test.nat_gateways", "an existing network brings its own", "remove it"],
    ),
    (
        "exec-on-express",
        HEAD + EXPRESS + "    exec: true\n",
        13,
        ["services.site.exec", "Express Mode has no ECS Exec", "compute: fargate"],
    ),
    (
        "exec-on-express-in-one-environment",
        HEAD + EXPRESS + "    environments:\n      test: {exec: true}\n",
        14,
        ["services.site.environments.test.exec", "Express Mode has no ECS Exec", "'test'"],
    ),
    ("exec-not-a-boolean", HEAD + EXPRESS + "    exec: sometimes\n", 13, ["services.site.exec"]),
]


@pytest.mark.parametrize(("text", "line", "words"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_exec_or_network_is_one_located_line_and_exit_2(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    assert_one_located_error(tmp_path, text, line, words)

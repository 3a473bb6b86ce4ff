"""Bad queues, topics and workers: one located line and exit status 2 (through the real CLI)."""

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
queues:
  orders: {}
  ledger: {fifo: true}
"""
IMAGE = "    image: {uri: public.ecr.aws/nginx/nginx:1.27}\n"

# (case id, manifest text, expected line, words the message must contain)
CASES = [
    (
        "worker-without-a-queue",
        HEAD + "services:\n  fulfil:\n    type: worker\n" + IMAGE + "    uses: [{queue: orders}]\n",
        13,
        ["services.fulfil.uses", "a worker consumes at least one queue", "access: consume"],
    ),
    (
        "unknown-queue-use",
        HEAD + "services:\n  api:\n" + IMAGE + "    uses: [{queue: order, access: send}]\n",
        12,
        ["services.api.uses.0.queue", "queue 'order' is not defined", "did you mean 'orders'"],
    ),
    (
        "bad-queue-access",
        HEAD + "services:\n  api:\n" + IMAGE + "    uses: [{queue: orders, access: read}]\n",
        12,
        ["services.api.uses.0.access", "allowed: 'send', 'consume'"],
    ),
    (
        "unknown-topic-use",
        HEAD + "services:\n  api:\n" + IMAGE + "    uses: [{topic: events}]\n",
        12,
        ["services.api.uses.0.topic", "topic 'events' is not defined"],
    ),
    (
        "subscription-to-unknown-queue",
        HEAD + "topics:\n  events:\n    subscriptions: [{queue: order}]\n",
        11,
        ["topics.events.subscriptions.0.queue", "queue 'order' is not defined"],
    ),
    (
        "fifo-queue-on-standard-topic",
        HEAD + "topics:\n  events:\n    subscriptions: [{queue: ledger}]\n",
        11,
        ["queue 'ledger' is FIFO but topic 'events' is standard"],
    ),
    (
        "max-receives-out-of-range",
        HEAD.replace("orders: {}", "orders: {max_receives: 0}"),
        7,
        ["queues.orders.max_receives", "greater than or equal to 1"],
    ),
    (
        "queue-delay-on-a-web-service",
        HEAD
        + "services:\n  api:\n"
        + IMAGE
        + "    autoscaling: {queue_delay: {acceptable_latency: 60}}\n",
        12,
        ["services.api.autoscaling", "queue_delay is for workers"],
    ),
    (
        "fifo-differs-per-environment",
        HEAD.replace("orders: {}", "orders: {environments: {test: {fifo: true}}}"),
        7,
        ["'fifo' must be the same in every environment"],
    ),
    (
        "topic-named-like-a-queue",
        HEAD + "topics:\n  orders: {}\n",
        10,
        ["topics.orders", "'orders' is already the name of one of the queues", "queues and topics"],
    ),
    (
        "queue-named-bare",
        HEAD + "services:\n  api:\n" + IMAGE + "    uses: [orders]\n",
        12,
        ["services.api.uses.0", "'orders' is a queue: name it as {queue: orders}"],
    ),
    (
        "job-schedule-not-cron-or-rate",
        HEAD + "jobs:\n  nightly:\n    image: {uri: busybox:1}\n    schedule: every night\n",
        12,
        ["jobs.nightly.schedule", "'every night' is not a schedule", "cron(0 3 * * ? *)"],
    ),
    (
        "job-rate-plural-for-one",
        HEAD + "jobs:\n  nightly:\n    image: {uri: busybox:1}\n    schedule: rate(1 hours)\n",
        12,
        ["jobs.nightly.schedule", "write rate(1 hour)"],
    ),
    (
        "job-image-of-unknown-service",
        HEAD + "jobs:\n  nightly:\n    image: {service: api}\n    schedule: rate(1 day)\n",
        11,
        ["jobs.nightly.image.service", "service 'api' is not defined"],
    ),
    (
        "job-image-two-sources",
        HEAD + "jobs:\n  nightly:\n    image: {build: {context: .}, uri: busybox:1}\n"
        "    schedule: rate(1 day)\n",
        11,
        ["jobs.nightly.image", "exactly one of 'service'", "'build' (build its own)"],
    ),
    (
        "job-uses-unknown-table",
        HEAD
        + "jobs:\n  nightly:\n    image: {uri: busybox:1}\n    schedule: rate(1 day)\n"
        + "    uses: [{table: carts}]\n",
        13,
        ["jobs.nightly.uses.0.table", "table 'carts' is not defined"],
    ),
    (
        "entrypoint-on-express",
        HEAD + "services:\n  api:\n" + IMAGE + "    compute: express\n    entrypoint: [python]\n",
        13,
        ["services.api.entrypoint", "Express Mode sets only the container's command"],
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_messaging_manifest_is_one_located_line_and_exit_2(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    assert_one_located_error(tmp_path, text, line, words)

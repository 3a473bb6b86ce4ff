"""Every kind of alarm shipway creates: its severity and its runbook (one table, one place).

A kind is `<capability>-<alarm>` (`service-cpu-low`, `table-throttled`, `slo-latency-page`).
Pages are for users hurt now or soon; tickets for what deserves a look in working hours. In the
runbook text, `<env>` and `<subject>` stand for the environment and the service, table, cache or
bucket the alarm watches; `shipway runbook` lists the real values of the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["page", "ticket"]
Subject = Literal[
    "service", "web", "load-balancer", "table", "cache", "loader", "slo", "queue", "job"
]

STATUS = "shipway status --env <env>"
LOGS = "shipway logs <subject> --env <env> --since 1h"
ERRORS = "shipway logs <subject> --env <env> --since 1h --filter ERROR"


@dataclass(frozen=True)
class AlarmKind:
    """What an alarm of this kind means, who hears of it, and what to do."""

    kind: str
    severity: Severity
    subject: Subject
    title: str
    meaning: str
    checks: tuple[str, str, str]
    mitigation: str


def _kinds(*kinds: AlarmKind) -> dict[str, AlarmKind]:
    return {kind.kind: kind for kind in kinds}


def _slo(sli: str, severity: Severity) -> AlarmKind:
    fast = severity == "page"
    what = "errors (5xx from the service)" if sli == "availability" else "slow requests"
    return AlarmKind(
        f"slo-{sli}-{severity}",
        severity,
        "slo",
        f"{sli.capitalize()} SLO burning its error budget "
        f"({'fast: page' if fast else 'slowly: ticket'})",
        f"The share of {what} spends the {sli} SLO's error budget "
        + (
            "14.4 times faster than allowed over 1 hour (2% of a 30-day budget gone) or 6 times "
            "over 6 hours (5% gone), and still does in the last 5 or 30 minutes: at this pace "
            "the budget is gone in days. Users are hurt now."
            if fast
            else "at least as fast as allowed over 3 days (10% of a 30-day budget gone), and "
            "still does in the last 6 hours: the objective will be missed this window unless "
            "something changes."
        ),
        (
            f"What changed? `{STATUS}` (image tag, task definition revision, rollout state, "
            "alarms in ALARM); a deploy in the last hours is the first suspect.",
            f"Which requests fail or are slow? `{ERRORS}`, and the dashboard "
            "`<app>-<env>` (errors and p99 by service, budget burn).",
            "Is a dependency the cause? Look at the table, cache and loader alarms of the same "
            "environment (`shipway status --env <env>` lists those in ALARM).",
        ),
        "Roll back a bad release (deploy the previous image tag with `shipway deploy`); "
        "scale out if tasks are saturated (autoscaling.max, cpu); for a dependency, follow "
        "its runbook. "
        + (
            "Acknowledge the page once the burn rate falls: the alarm resets within its short "
            "window after recovery."
            if fast
            else "Plan the fix this week; if the objective is wrong, change slo: in shipway.yml."
        ),
    )


KINDS = _kinds(
    AlarmKind(
        "service-cpu-high",
        "ticket",
        "service",
        "Service CPU high",
        "Tasks average more than the threshold of their CPU over 5 minutes: they answer slowly "
        "and autoscaling may be at its maximum.",
        (
            f"Running vs desired tasks and scaling: `{STATUS}`.",
            f"Hot paths or loops: `{LOGS}`.",
            "The latency SLO and response-time alarm of the same service: are users hurt?",
        ),
        "Raise autoscaling.max or cpu in shipway.yml and deploy; profile the hot path.",
    ),
    AlarmKind(
        "service-cpu-low",
        "ticket",
        "service",
        "Service CPU low (informational)",
        "CPU under 20% for an hour: the service pays for idle capacity. Normal in quiet hours; "
        "never pages.",
        (
            f"Task count and size: `{STATUS}`.",
            "The request rate on the dashboard over a week: is it always this quiet?",
            "autoscaling.min and cpu in shipway.yml for this environment.",
        ),
        "Lower cpu or autoscaling.min for the environment (environments: prod: {cpu: ...}).",
    ),
    AlarmKind(
        "service-memory-high",
        "ticket",
        "service",
        "Service memory high",
        "Tasks use more than the threshold of their memory: near the limit they are killed "
        "with OutOfMemory (exit code 137).",
        (
            f"Stopped tasks and their reasons: `{STATUS}`.",
            f"Growth or large payloads before the alarm: `{LOGS}`.",
            "The memory graph on the dashboard: steady climb (leak) or spikes (load)?",
        ),
        "Raise memory in shipway.yml (a Fargate size that fits cpu); fix the leak.",
    ),
    AlarmKind(
        "service-memory-low",
        "ticket",
        "service",
        "Service memory low (informational)",
        "Memory under 20% for an hour: the task size is larger than needed. Never pages.",
        (
            f"Task size: `{STATUS}`.",
            "The memory graph on the dashboard over a week.",
            "Fargate sizes that fit the cpu (docs/manifest.md).",
        ),
        "Lower memory in shipway.yml for the environment.",
    ),
    AlarmKind(
        "service-tasks-missing",
        "page",
        "service",
        "Service tasks missing",
        "Fewer tasks run than desired for 5 minutes: tasks crash, fail health checks or "
        "cannot be placed. Capacity is down; users may see errors.",
        (
            f"Running vs desired, rollout state, stopped tasks' reasons: `{STATUS}`.",
            f"The crash or failed health check: `{LOGS}`.",
            "Capacity: Fargate/EC2 capacity errors or image pull errors in the service events.",
        ),
        "A bad deploy rolls back on its own (circuit breaker and this alarm); otherwise "
        "redeploy the previous image tag, fix the health check or raise the capacity.",
    ),
    AlarmKind(
        "service-target-5xx",
        "page",
        "web",
        "Service answers 5xx",
        "The service itself answered more 5xx than the threshold in 5 minutes.",
        (
            f"Exceptions around the alarm time: `{ERRORS}`.",
            f"A deploy or restart at the same time: `{STATUS}`.",
            "Dependencies: table, cache and secret alarms of the environment.",
        ),
        "Roll back a bad release; fix the failing dependency; a deploy in progress rolls back "
        "on this alarm.",
    ),
    AlarmKind(
        "service-target-4xx",
        "ticket",
        "web",
        "Many client errors (4xx)",
        "Many 4xx in 5 minutes: a broken client release, a scan, or an API change.",
        (
            f"Paths and callers: `{LOGS}`.",
            "The load balancer's access logs (the environment's log bucket) for user agents.",
            f"A release that changed routes: `{STATUS}`.",
        ),
        "Fix the client or restore the route; block a scanner with the web ACL.",
    ),
    AlarmKind(
        "service-target-3xx",
        "ticket",
        "web",
        "Many redirects (3xx, informational)",
        "More redirects than usual: a misconfigured base URL or an authentication loop. "
        "Never pages.",
        (
            f"Redirect targets: `{LOGS}`.",
            f"Recent configuration changes: `{STATUS}`.",
            "The domain and routing settings in shipway.yml.",
        ),
        "Fix the base URL or the auth configuration.",
    ),
    AlarmKind(
        "service-response-time-p99",
        "ticket",
        "web",
        "p99 response time above the budget",
        "The slowest 1% of requests took longer than the threshold over 5 minutes.",
        (
            f"CPU and task count: `{STATUS}`.",
            f"Slow requests and what they wait on: `{LOGS}`.",
            "Table latency and cache CPU on the dashboard for the same window.",
        ),
        "Scale out, add a cache or an index; the latency SLO pages if users are hurt.",
    ),
    AlarmKind(
        "service-unhealthy-hosts",
        "page",
        "web",
        "Targets failing health checks",
        "Targets fail the load balancer's health check for 3 minutes and get no traffic.",
        (
            f"Tasks and their health: `{STATUS}`.",
            f"What the health check path answers: `{LOGS}`.",
            "A dependency the health check calls (a /ready that checks Redis, say).",
        ),
        "Roll back a bad release; fix the dependency; a health check path that checks "
        "dependencies should be a liveness check instead.",
    ),
    AlarmKind(
        "load-balancer-elb-5xx",
        "page",
        "load-balancer",
        "Load balancer answers 5xx",
        "The load balancer itself answers 5xx: no healthy target, or targets time out or "
        "reset connections.",
        (
            f"Tasks missing or unhealthy in any web service: `{STATUS}`.",
            "The unhealthy-hosts and tasks-missing alarms of the environment's web services.",
            "The access logs (the environment's log bucket): which target, which error code.",
        ),
        "Restore healthy targets (roll back, scale out); raise timeouts only if requests are "
        "legitimately slow.",
    ),
    AlarmKind(
        "table-throttled",
        "page",
        "table",
        "Table requests throttled",
        "DynamoDB throttled requests: callers see errors or retry slowly.",
        (
            "The table's read/write graphs on the dashboard: a burst or a hot key?",
            "Callers' errors: `shipway logs <service> --env <env> --since 1h --filter Throttling`.",
            f"Alarms of the calling services: `{STATUS}`.",
        ),
        "Spread a hot partition key; raise provisioned capacity; on-demand tables adapt "
        "within minutes.",
    ),
    AlarmKind(
        "table-system-errors",
        "page",
        "table",
        "DynamoDB system errors",
        "DynamoDB itself failed requests (HTTP 500); callers must retry.",
        (
            "The AWS Health Dashboard for DynamoDB in this region.",
            "Callers' errors: `shipway logs <service> --env <env> --since 1h --filter ERROR`.",
            f"Other alarms in the environment: `{STATUS}`.",
        ),
        "Make sure callers retry with backoff; wait for AWS to recover.",
    ),
    AlarmKind(
        "cache-engine-cpu",
        "ticket",
        "cache",
        "Cache engine CPU high",
        "The engine thread is saturated: every command waits, latency rises.",
        (
            "SLOWLOG and big commands (KEYS, large ranges) from the callers.",
            "The cache CPU graph on the dashboard.",
            f"Latency of the calling services: `{STATUS}`.",
        ),
        "Remove O(N) commands; choose a larger node_type.",
    ),
    AlarmKind(
        "cache-memory",
        "ticket",
        "cache",
        "Cache nearly full",
        "The cache is nearly full and will soon evict keys or refuse writes.",
        (
            "Keys without TTL and the biggest keys.",
            "The cache memory graph on the dashboard: steady climb or spike?",
            "The cache-evictions alarm.",
        ),
        "Set TTLs; choose a larger node_type.",
    ),
    AlarmKind(
        "cache-evictions",
        "ticket",
        "cache",
        "Cache evicted keys",
        "Keys were evicted for lack of memory: sessions or cached data vanished.",
        (
            "The cache memory graph on the dashboard.",
            "Keys without TTL.",
            f"Errors in callers that expected the keys: `{ERRORS}`.",
        ),
        "Set TTLs on keys that lack them; choose a larger node_type.",
    ),
    AlarmKind(
        "cache-replication-lag",
        "ticket",
        "cache",
        "Cache replicas lag",
        "Replicas trail the primary: a failover now would lose the latest writes.",
        (
            "The primary's write rate on the dashboard.",
            "Network metrics of the nodes.",
            "Large writes from callers.",
        ),
        "A larger node_type; fewer large writes.",
    ),
    AlarmKind(
        "loader-dead-letters",
        "ticket",
        "loader",
        "Uploads failed to load",
        "Uploads failed to load several times and wait in the dead-letter queue.",
        (
            "The loader's logs for the object keys (CloudWatch Logs, the loader function).",
            "The rejection report under the bucket's report prefix.",
            "The file itself: format and keys against the table.",
        ),
        "Fix the file or the table, then redrive the dead-letter queue.",
    ),
    AlarmKind(
        "loader-errors",
        "ticket",
        "loader",
        "Loader function errors",
        "The loader function crashed or timed out; the batch will be retried.",
        (
            "The loader's logs for the exception around the alarm time.",
            "The table's throttles (table-throttled).",
            "The loader-dead-letters alarm.",
        ),
        "Fix the cause; retried batches load on their own.",
    ),
    AlarmKind(
        "loader-oldest-message",
        "ticket",
        "loader",
        "Uploads wait to be loaded",
        "Uploads wait more than 30 minutes: the loader is stuck or far behind.",
        (
            "The loader's errors and throttles.",
            "The queue depth graph on the dashboard.",
            "The function's concurrency.",
        ),
        "Fix the errors; raise the function's concurrency.",
    ),
    AlarmKind(
        "queue-dead-letters",
        "ticket",
        "queue",
        "Messages failed and wait in the dead-letter queue",
        "Messages of the queue were received max_receives times without being deleted: the "
        "consumer failed on them (or they are not what it expects).",
        (
            "The consumer's logs around the alarm time for the error it logs per message.",
            "A few messages of the `-dlq` queue (receive them without deleting).",
            "Whether a deploy of the consumer or the publisher just happened.",
        ),
        "Fix the consumer or the publisher, then redrive the dead-letter queue.",
    ),
    AlarmKind(
        "queue-oldest-message",
        "page",
        "queue",
        "Messages wait too long to be processed",
        "The oldest message of the queue waits longer than the threshold: its consumers are "
        "stopped, failing or too few.",
        (
            f"The consumer's running tasks: `{STATUS}`.",
            f"Its errors: `{ERRORS}`.",
            "Its backlog scaling (max tasks reached?) on the dashboard.",
        ),
        "Restart or fix the consumer; raise its autoscaling max.",
    ),
    AlarmKind(
        "job-failed",
        "ticket",
        "job",
        "A scheduled job run failed or timed out",
        "A run of the job exited non-zero, could not start, or took longer than its timeout, "
        "after its retries.",
        (
            "The state machine's failed execution: the task's stop reason and exit code.",
            "The job's logs (CloudWatch Logs, the job's log group).",
            "Run it once by hand: `shipway job run <subject> --env <env>`.",
        ),
        "Fix the cause and run it again with `shipway job run`.",
    ),
    _slo("availability", "page"),
    _slo("availability", "ticket"),
    _slo("latency", "page"),
    _slo("latency", "ticket"),
)


def severity_of(kind: str) -> Severity:
    """The severity of a kind; a kind shipway does not know pages (it must be heard)."""
    known = KINDS.get(kind)
    return known.severity if known else "page"

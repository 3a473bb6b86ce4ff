"""The architecture of one environment as a graph: what `shipway diagram` draws.

Built from the resolved plan only (no synth), so it says what the environment runs, not how the
CDK spells it: internet -> WAF -> load balancer(s) -> web services -> backend services (Service
Connect), the data each service uses, each bucket's loader (S3 -> SQS -> Lambda -> table), the
VPC's subnet tiers, and the alarm topic. Both renderers (Mermaid text and the Graphviz picture)
read this one graph, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from shipway.manifest.plan import EnvironmentPlan, ServicePlan, Use

NodeKind = Literal[
    "internet",
    "waf",
    "load_balancer",
    "nat",
    "endpoints",
    "web_service",
    "backend_service",
    "loader",
    "cache",
    "table",
    "bucket",
    "queue",
    "dead_letter_queue",
    "secret",
    "alarms",
    "topic",
    "email",
    "schedule",
    "job",
]
Group = Literal["outside", "public", "private", "isolated", "regional", "monitoring"]
EdgeStyle = Literal["solid", "dashed"]

GROUP_TITLES: dict[Group, str] = {
    "outside": "",
    "public": "public subnets",
    "private": "private subnets",
    "isolated": "isolated subnets (no internet route)",
    "regional": "regional services (outside the VPC)",
    "monitoring": "monitoring",
}
IN_VPC: tuple[Group, ...] = ("public", "private", "isolated")


@dataclass(frozen=True)
class Node:
    id: str
    """Stable and unique in the graph: letters, digits and underscores."""
    label: str
    kind: NodeKind
    group: Group


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: EdgeStyle = "solid"


@dataclass(frozen=True)
class Architecture:
    """One environment's resources and how data and requests flow between them."""

    title: str
    vpc_label: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def in_group(self, group: Group) -> list[Node]:
        return [node for node in self.nodes if node.group == group]


def node_id(kind: str, name: str = "") -> str:
    """`kind_name` with anything but letters, digits and underscores made an underscore."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{kind}_{name}" if name else kind)


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []

    def node(self, kind: NodeKind, name: str, label: str, group: Group) -> str:
        identifier = node_id(kind, name)
        self.nodes.setdefault(identifier, Node(identifier, label, kind, group))
        return identifier

    def edge(self, source: str, target: str, label: str = "", style: EdgeStyle = "solid") -> None:
        self.edges.append(Edge(source, target, label, style))


def architecture(plan: EnvironmentPlan) -> Architecture:
    """The graph of what plan's environment runs."""
    build = _Builder()
    settings = plan.settings
    services = list(plan.services.values())
    public = [service for service in services if service.spec.type == "web"]
    if public:
        internet = build.node("internet", "", "Internet", "outside")
        waf = build.node("waf", "", "WAF\nAWS managed rules", "outside")
        build.edge(internet, waf, "HTTPS" if settings.domain else "HTTP")
        _load_balancers(build, plan, public, waf)
    for service in services:
        _service(build, service)
    for service in services:
        _uses(build, plan, service)
    _messaging(build, plan)
    _jobs(build, plan)
    _loaders(build, plan)
    _network(build, plan)
    _monitoring(build, plan)
    zones = settings.zone_count
    return Architecture(
        title=f"{plan.app} · {plan.name} · {settings.region}",
        vpc_label=(
            f"VPC {settings.network.vpc_id} (existing) · {zones} availability zones"
            if settings.network
            else f"VPC {settings.vpc_cidr} · {zones} availability zones"
        ),
        nodes=tuple(build.nodes.values()),
        edges=tuple(build.edges),
    )


def _load_balancers(
    build: _Builder, plan: EnvironmentPlan, public: list[ServicePlan], waf: str
) -> None:
    shared = [service for service in public if service.spec.is_load_balanced]
    if shared:
        scheme = "HTTPS" if plan.settings.domain else "HTTP"
        balancer = build.node("load_balancer", "", f"Application Load Balancer\n{scheme}", "public")
        build.edge(waf, balancer)
        for service in shared:
            build.edge(balancer, _service_id(service), _route(service))
    for service in public:
        if service.spec.compute == "express":
            own = build.node(
                "load_balancer",
                service.name,
                f"{service.name} load balancer\n(ECS Express Mode)",
                "public",
            )
            build.edge(waf, own)
            build.edge(own, _service_id(service))


def _route(service: ServicePlan) -> str:
    routing = service.spec.effective_routing
    return f"host {routing.host}, path {routing.path}" if routing.host else f"path {routing.path}"


def _service_id(service: ServicePlan) -> str:
    kind = "web_service" if service.spec.type == "web" else "backend_service"
    return node_id(kind, service.name)


def _queue(build: _Builder, plan: EnvironmentPlan, name: str) -> str:
    """A manifest queue and its dead-letter queue."""
    queue = build.node("queue", name, f"{name}\nSQS", "regional")
    dead_letters = build.node("dead_letter_queue", name, f"{name} dead letters\nSQS", "regional")
    if not any(edge.source == queue and edge.target == dead_letters for edge in build.edges):
        receives = plan.queues[name].spec.max_receives
        build.edge(queue, dead_letters, f"after {receives} receives", "dashed")
    return queue


def _topic(build: _Builder, name: str) -> str:
    # "sns" keeps an application topic's id apart from the alarm topics' (topic_page, ...)
    return build.node("topic", f"sns {name}", f"{name}\nSNS topic", "regional")


def _messaging(build: _Builder, plan: EnvironmentPlan) -> None:
    """Each topic fans out to its subscribed queues (with their filters)."""
    for name, topic in plan.topics.items():
        source = _topic(build, name)
        for subscription in topic.spec.subscriptions:
            label = "filtered" if subscription.filter else ""
            build.edge(source, _queue(build, plan, subscription.queue), label)


def _jobs(build: _Builder, plan: EnvironmentPlan) -> None:
    """A job: EventBridge Scheduler starts its task (through Step Functions) on schedule."""
    for name, job in plan.jobs.items():
        schedule = build.node("schedule", name, f"{name} schedule\n{job.spec.schedule}", "regional")
        task = build.node("job", name, f"{name}\nFargate task · job", "private")
        build.edge(schedule, task, "runs")
        for use in job.uses:
            _use(build, plan, task, use)


def _service(build: _Builder, service: ServicePlan) -> None:
    spec = service.spec
    tasks = (
        f"{spec.autoscaling.min}-{spec.autoscaling.max} tasks"
        if spec.autoscaling
        else f"{spec.count} tasks"
    )
    compute = {
        "fargate": "Fargate",
        "fargate_spot": "Fargate Spot",
        "ec2": "EC2",
        "express": "Express Mode",
    }[spec.compute]
    role = " · worker" if spec.type == "worker" else ""
    label = f"{service.name}\n{compute} · {tasks}{role}"
    kind: NodeKind = "web_service" if spec.type == "web" else "backend_service"
    # Express Mode's tasks share the public subnets of the load balancer it makes for them
    # (accept_express_limits); every other service runs in the private ones.
    build.node(kind, service.name, label, "public" if spec.compute == "express" else "private")


def _uses(build: _Builder, plan: EnvironmentPlan, service: ServicePlan) -> None:
    source = _service_id(service)
    for use in service.uses:
        _use(build, plan, source, use)

    # Secrets a service names directly (an existing secret or an SSM parameter), by variable.
    for variable, reference in service.spec.secrets.items():
        if reference.startswith("ssm:"):
            parameter = reference.removeprefix("ssm:")
            target = build.node(
                "secret", f"ssm {parameter}", f"{parameter}\nSSM parameter", "regional"
            )
        else:
            target = build.node(
                "secret",
                f"existing {reference}",
                f"{reference}\nSecrets Manager (existing)",
                "regional",
            )
        build.edge(source, target, variable, "dashed")


def _use(build: _Builder, plan: EnvironmentPlan, source: str, use: Use) -> None:
    """The edge of one `uses` entry of a service or a job."""
    if use.kind == "service":
        build.edge(source, _service_id(plan.services[use.name]), "Service Connect")
    elif use.kind in ("table", "bucket"):
        target = _table(build, use.name) if use.kind == "table" else _bucket(build, use.name)
        build.edge(source, target, _access(use.access))
    elif use.kind == "cache":
        engine = plan.caches[use.name].spec.engine
        tier: Group = "private" if plan.settings.network else "isolated"  # no isolated tier there
        cache = build.node("cache", use.name, f"{use.name}\nElastiCache {engine.title()}", tier)
        build.edge(source, cache, "TLS + AUTH")
    elif use.kind == "secret":
        build.edge(source, _secret(build, use.name), style="dashed")  # read at start
    elif use.kind == "queue":
        queue = _queue(build, plan, use.name)
        if use.access == "consume":
            build.edge(queue, source, "consume")
        else:
            build.edge(source, queue, "send")
    elif use.kind == "topic":
        build.edge(source, _topic(build, use.name), "publish")


def _access(access: str) -> str:
    return {"read": "read", "read_write": "read/write"}.get(access, access)


def _table(build: _Builder, name: str) -> str:
    return build.node("table", name, f"{name}\nDynamoDB", "regional")


def _bucket(build: _Builder, name: str) -> str:
    return build.node("bucket", name, f"{name}\nS3", "regional")


def _secret(build: _Builder, name: str) -> str:
    return build.node("secret", name, f"{name}\nSecrets Manager", "regional")


def _loaders(build: _Builder, plan: EnvironmentPlan) -> None:
    for bucket in plan.buckets.values():
        bucket_id = _bucket(build, bucket.name)
        loader = bucket.spec.loader
        if loader is None:
            continue
        queue = build.node("queue", bucket.name, f"{bucket.name} uploads\nSQS", "regional")
        dead = build.node(
            "dead_letter_queue", bucket.name, f"{bucket.name} dead letters\nSQS", "regional"
        )
        function = build.node("loader", bucket.name, f"{bucket.name} loader\nLambda", "private")
        build.edge(bucket_id, queue, "object created")
        build.edge(queue, function)
        build.edge(queue, dead, "after 3 receives", "dashed")
        build.edge(function, _table(build, loader.table), "batch write")
    for table in plan.tables:
        _table(build, table)
    for secret in plan.secrets:
        _secret(build, secret)


def _network(build: _Builder, plan: EnvironmentPlan) -> None:
    settings = plan.settings
    if settings.network is not None:
        return  # its egress (NAT or endpoints) is the VPC owner's, not in the template
    if settings.nat_gateways:
        # Every task egresses through it: edges from each would only add clutter.
        build.node("nat", "", f"NAT gateway × {settings.nat_gateways}\negress for tasks", "public")
    else:
        build.node("endpoints", "", "VPC interface endpoints\n(no NAT)", "private")


def _monitoring(build: _Builder, plan: EnvironmentPlan) -> None:
    # Two severities (shipway.observability.topic): pages wake someone, tickets wait for the
    # day; each topic is shipway's own or an existing one, with its email if the manifest has one.
    settings = plan.settings
    alarms = build.node("alarms", "", "CloudWatch alarms", "monitoring")
    severities = (
        ("page", settings.alarm_topic_arn, settings.alarm_email),
        ("ticket", settings.ticket_topic_arn, settings.ticket_email or settings.alarm_email),
    )
    for severity, existing, address in severities:
        origin = "(existing)" if existing else "SNS"
        topic = build.node("topic", severity, f"{severity} topic\n{origin}", "monitoring")
        build.edge(alarms, topic, f"{severity}s")
        if address:
            build.edge(topic, build.node("email", address, address, "monitoring"), "email")

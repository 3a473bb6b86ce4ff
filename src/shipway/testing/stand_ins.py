"""The one list of CloudFormation types a rehearsal stands in for: moto does not emulate them.

Each entry says why skipping the real resource is safe in a rehearsal (a deploy into the moto
server, where no task runs and no packet flows), what its ``Ref`` returns and which ``Fn::GetAtt``
attributes it answers. Values are shaped like AWS's, so templates that split or join them work.
Placeholders: ``{name}`` (the resource's name property, else a generated name), ``{id}`` (random
hex), ``{region}``, ``{account}``, and ``{p[Property]}`` for a property's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StandIn:
    """How a rehearsal answers for one resource type moto's CloudFormation cannot create."""

    type: str
    why: str
    ref: str = "{name}"
    name_property: str = ""
    attributes: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    """GetAtt name → value; a tuple for a list attribute (an Express service's target groups)."""


STAND_INS: tuple[StandIn, ...] = (
    StandIn(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "scaling bounds act on running tasks, and a rehearsal runs none",
        ref="{p[ResourceId]}|{p[ScalableDimension]}|{p[ServiceNamespace]}",
    ),
    StandIn(
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "a policy only reacts to live CloudWatch metrics, which a rehearsal has none of",
        ref="arn:aws:autoscaling:{region}:{account}:scalingPolicy:{id}:resource/ecs/"
        "policyName/{name}",
        name_property="PolicyName",
        attributes={"Arn": "arn:aws:autoscaling:{region}:{account}:scalingPolicy:{id}"},
    ),
    StandIn(
        "AWS::CloudWatch::Alarm",
        "alarms watch live metrics; their thresholds are pinned by the synth tests instead",
        name_property="AlarmName",
        attributes={"Arn": "arn:aws:cloudwatch:{region}:{account}:alarm:{name}"},
    ),
    StandIn(
        "AWS::CloudWatch::CompositeAlarm",
        "a composite (an SLO's burn-rate page or ticket) only combines alarms (stood in); "
        "its rules are replayed against the template by shipway.testing.alarm_replay",
        name_property="AlarmName",
        attributes={"Arn": "arn:aws:cloudwatch:{region}:{account}:alarm:{name}"},
    ),
    StandIn(
        "AWS::EC2::SecurityGroupEgress",
        "an egress rule only filters packets; the security group itself is emulated",
        ref="sgr-{id}",
        attributes={"Id": "sgr-{id}"},
    ),
    StandIn(
        "AWS::ECS::CapacityProvider",
        "it only links an Auto Scaling group (emulated) to the cluster for task placement",
        name_property="Name",
    ),
    StandIn(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        "it only sets the cluster's default placement strategy; no task is placed",
    ),
    StandIn(
        "AWS::ECS::ExpressGatewayService",
        "an Express service runs tasks behind its own load balancer; none run in a rehearsal",
        ref="arn:aws:ecs:{region}:{account}:service/{p[Cluster]}/{name}",
        name_property="ServiceName",
        attributes={
            "Endpoint": "{id}.ecs.{region}.on.aws",
            "ServiceArn": "arn:aws:ecs:{region}:{account}:service/{p[Cluster]}/{name}",
            # the load balancer Express Mode makes (shipway associates the WAF with it)
            "ECSManagedResourceArns.IngressPath.LoadBalancerArn": (
                "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{id}/{id}"
            ),
            # its target groups (the SLO alarms read the first one's metrics)
            "ECSManagedResourceArns.IngressPath.TargetGroupArns": (
                "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{id}/{id}",
            ),
        },
    ),
    StandIn(
        "AWS::ElastiCache::ReplicationGroup",
        "the cache's wiring is rehearsed by shipway dev against a real redis-server",
        name_property="ReplicationGroupId",
        attributes={
            "PrimaryEndPoint.Address": "master.{name}.{id}.cache.amazonaws.com",
            "PrimaryEndPoint.Port": "6379",
            "ReaderEndPoint.Address": "replica.{name}.{id}.cache.amazonaws.com",
            "ReaderEndPoint.Port": "6379",
        },
    ),
    StandIn(
        "AWS::ElastiCache::SubnetGroup",
        "it only names subnets (emulated) for the replication group (stood in)",
        name_property="CacheSubnetGroupName",
    ),
    StandIn(
        "AWS::S3::BucketPolicy",
        "moto does not enforce bucket policies; cdk-nag and checkov check them in the template",
    ),
    StandIn(
        "AWS::SNS::Subscription",
        "moto's CloudFormation makes no subscriptions; a topic's fan-out to its queues (with "
        "filter policies) is rehearsed by shipway dev against moto's SNS and SQS",
        ref="arn:aws:sns:{region}:{account}:subscription:{id}",
    ),
    StandIn(
        "AWS::SNS::TopicPolicy",
        "moto does not enforce topic policies; only alarms (stood in) publish to the topic",
    ),
    StandIn(
        "AWS::SQS::QueuePolicy",
        "moto does not enforce queue policies; the loader path is rehearsed by shipway dev",
    ),
    StandIn(
        "AWS::Scheduler::Schedule",
        "a schedule only starts a job's state machine on time; a job's run is rehearsed by "
        "`shipway job run` (locally, and against moto's Step Functions)",
        name_property="Name",
        attributes={"Arn": "arn:aws:scheduler:{region}:{account}:schedule/default/{name}"},
    ),
    StandIn(
        "AWS::SecretsManager::Secret",
        "only running tasks read secrets; shipway dev rehearses the values against moto",
        ref="arn:aws:secretsmanager:{region}:{account}:secret:{name}-{id}",
        name_property="Name",
    ),
    StandIn(
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "Service Connect names resolve only between running tasks; none run in a rehearsal",
        ref="ns-{id}",
        name_property="Name",
        attributes={
            "Arn": "arn:aws:servicediscovery:{region}:{account}:namespace/ns-{id}",
            "Id": "ns-{id}",
            "HostedZoneId": "Z{id}",
        },
    ),
    StandIn(
        "AWS::WAFv2::LoggingConfiguration",
        "it only ships WAF logs, and a rehearsal sends no traffic through the WAF",
        ref="{p[ResourceArn]}",
    ),
    StandIn(
        "AWS::WAFv2::WebACL",
        "its rules filter live traffic; cdk-nag and checkov check that it is attached",
        ref="{name}|{id}|{p[Scope]}",
        name_property="Name",
        attributes={
            "Arn": "arn:aws:wafv2:{region}:{account}:regional/webacl/{name}/{id}",
            "Id": "{id}",
            "LabelNamespace": "awswaf:{account}:webacl:{name}:",
        },
    ),
    StandIn(
        "AWS::WAFv2::WebACLAssociation",
        "it attaches the WebACL (stood in) to the load balancer (emulated); no traffic flows",
    ),
)


def stand_in_for(resource_type: str) -> StandIn | None:
    """The stand-in for a resource type, if the rehearsal has one."""
    return _BY_TYPE.get(resource_type)


_BY_TYPE = {stand_in.type: stand_in for stand_in in STAND_INS}

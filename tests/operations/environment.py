"""A small deployed environment in a moto server: the stack shipway would name, its ECS cluster,
services by their physical names with awslogs task definitions, log groups, and alarms.

Lighter than a CDK deploy (the rehearsal does that): the commands under test read only what
CloudFormation, ECS, CloudWatch and CloudWatch Logs report, and this is what they report."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from shipway.manifest.names import pascal

if TYPE_CHECKING:
    from shipway.manifest import EnvironmentPlan

IMAGE = "123456789012.dkr.ecr.{region}.amazonaws.com/{name}:c0ffee12"


def template(plan: EnvironmentPlan, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A template with what `shipway status` and `logs` look for, for plan's services."""
    resources: dict[str, Any] = {"Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {}}}
    outputs: dict[str, Any] = {}
    for name, service in plan.services.items():
        if name in skip:
            continue
        stem = pascal(name)
        resources[f"{stem}Logs"] = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": f"{service.physical_name}-logs"},
        }
        resources[f"{stem}Task"] = {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "Family": service.physical_name,
                "RequiresCompatibilities": ["FARGATE"],
                "NetworkMode": "awsvpc",
                "Cpu": "256",
                "Memory": "512",
                "ContainerDefinitions": [
                    {
                        "Name": "app",
                        "Image": IMAGE.format(
                            region=plan.settings.region, name=service.physical_name
                        ),
                        "Essential": True,
                        "LogConfiguration": {
                            "LogDriver": "awslogs",
                            "Options": {
                                "awslogs-group": {"Ref": f"{stem}Logs"},
                                "awslogs-stream-prefix": name,
                                "awslogs-region": plan.settings.region,
                            },
                        },
                    }
                ],
            },
        }
        resources[f"{stem}Service"] = {
            "Type": "AWS::ECS::Service",
            "Properties": {
                "ServiceName": service.physical_name,
                "Cluster": {"Ref": "Cluster"},
                "TaskDefinition": {"Ref": f"{stem}Task"},
                "DesiredCount": service.spec.desired_count(),
                "LaunchType": "FARGATE",
            },
        }
        if service.spec.type == "web":
            outputs[f"{stem}Url"] = {"Value": f"http://{name}.example.test/"}
    return {"Resources": resources, "Outputs": outputs}


def deploy(clients: Any, plan: EnvironmentPlan, *, skip: tuple[str, ...] = ()) -> None:
    """Create the stack and wait until CloudFormation reports it created."""
    cloudformation = clients.client("cloudformation")
    cloudformation.create_stack(
        StackName=plan.stack_name, TemplateBody=json.dumps(template(plan, skip=skip))
    )
    cloudformation.get_waiter("stack_create_complete").wait(
        StackName=plan.stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    # The rehearsal's moto stands in for alarms created by CloudFormation: made directly here,
    # named as shipway names them (<app>-<env>-<service>-<kind>).
    for name, service in plan.services.items():
        if name in skip:
            continue
        clients.client("cloudwatch").put_metric_alarm(
            AlarmName=f"{service.physical_name}-cpu-high",
            Namespace="AWS/ECS",
            MetricName="CPUUtilization",
            Statistic="Average",
            Period=300,
            EvaluationPeriods=1,
            Threshold=80,
            ComparisonOperator="GreaterThanThreshold",
        )

"""Worker services in the messaging manifest: no port, no load balancer, backlog scaling."""

from __future__ import annotations

from tests.data.messaging.synthesized import (
    container,
    logical_id,
    properties,
    resources,
    variables,
)

POLICY = "AWS::ApplicationAutoScaling::ScalingPolicy"


def test_a_worker_listens_on_no_port_and_gets_no_port_variable() -> None:
    assert container("test", "fulfil").get("PortMappings", []) == []
    assert "PORT" not in variables("test", "fulfil")
    assert variables("test", "fulfil")["SHIPWAY_SERVICE"] == "fulfil"
    assert container("test", "api")["PortMappings"][0]["ContainerPort"] == 8080


def test_a_worker_is_checked_by_its_own_command_or_by_its_process_only() -> None:
    check = container("test", "fulfil")["HealthCheck"]
    assert check["Command"] == ["CMD-SHELL", "test -f /tmp/heartbeat"]
    assert "HealthCheck" not in container("test", "auditor")


def test_a_worker_is_not_behind_the_load_balancer_and_rolls_back_on_failure() -> None:
    service = properties("test", "AWS::ECS::Service", "ServiceFulfilService")
    assert "LoadBalancers" not in service
    configuration = service["DeploymentConfiguration"]
    assert configuration["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert configuration["Alarms"]["AlarmNames"] == ["relay-test-fulfil-tasks-missing"]
    rules = resources("test", "AWS::ElasticLoadBalancingV2::ListenerRule")
    assert all("Fulfil" not in name for name in rules)


def test_a_worker_scales_on_backlog_per_task_of_each_queue_it_consumes() -> None:
    cluster = {"Ref": logical_id("test", "AWS::ECS::Cluster", "Cluster")}
    for queue in ("Fulfilment", "Ledger"):
        policy = properties("test", POLICY, f"ServiceFulfilServiceTaskCountBacklog{queue}")
        tracking = policy["TargetTrackingScalingPolicyConfiguration"]
        assert tracking["TargetValue"] == 150  # 300 s acceptable latency / 2 s per message
        messages, tasks, per_task = tracking["CustomizedMetricSpecification"]["Metrics"]
        assert messages["MetricStat"]["Metric"] == {
            "Dimensions": [
                {
                    "Name": "QueueName",
                    "Value": {
                        "Fn::GetAtt": [
                            logical_id("test", "AWS::SQS::Queue", f"Queue{queue}Queue"),
                            "QueueName",
                        ]
                    },
                }
            ],
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Namespace": "AWS/SQS",
        }
        assert tasks["MetricStat"]["Metric"] == {
            "Dimensions": [
                {"Name": "ClusterName", "Value": cluster},
                {"Name": "ServiceName", "Value": "relay-test-fulfil"},
            ],
            "MetricName": "RunningTaskCount",
            "Namespace": "ECS/ContainerInsights",
        }
        assert per_task["Expression"] == "messages / IF(tasks > 0, tasks, 1)"
        assert per_task["ReturnData"] is True
        assert not messages["ReturnData"] and not tasks["ReturnData"]


def test_a_worker_without_autoscaling_runs_its_count_and_has_no_backlog_policy() -> None:
    assert properties("test", "AWS::ECS::Service", "ServiceAuditorService")["DesiredCount"] == 1
    assert all("Auditor" not in name for name in resources("test", POLICY))


def test_command_and_entrypoint_replace_the_images_in_the_cloud() -> None:
    auditor = container("test", "auditor")
    assert auditor["EntryPoint"] == ["python", "-m"]
    assert auditor["Command"] == ["auditor", "--verbose"]
    fulfil = container("test", "fulfil")
    assert "EntryPoint" not in fulfil and "Command" not in fulfil  # the image's own

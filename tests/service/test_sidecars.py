"""Sidecars, FireLens routing, platform and env files in the containers manifest's templates."""

from __future__ import annotations

import re

from tests.data.containers.synthesized import containers_of, policy_statements, task_definition

API = "ServiceApiTaskDefinition"
WORKER = "ServiceWorkerTaskDefinition"
ASSETS = "cdk-hnb659fds-assets-123456789012-us-east-1"


def test_the_service_container_comes_first_then_the_router_then_the_sidecars() -> None:
    assert list(containers_of("test", API)) == ["app", "log-router", "proxy", "migrate"]
    assert list(containers_of("test", WORKER)) == ["app", "agent"]


def test_a_sidecar_has_its_image_port_command_environment_and_health_check() -> None:
    proxy = containers_of("test", API)["proxy"]
    assert proxy["Image"] == "public.ecr.aws/docker/library/busybox:1.37"
    assert proxy["Command"] == ["httpd", "-f", "-p", "9000"]
    assert proxy["PortMappings"] == [{"ContainerPort": 9000, "Name": "proxy", "Protocol": "tcp"}]
    assert proxy["Essential"] is True
    assert proxy["Environment"] == [{"Name": "PROXY_MODE", "Value": "edge"}]
    assert proxy["HealthCheck"] == {
        "Command": ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:9000/"],
        "Interval": 15,
        "Retries": 3,
        "StartPeriod": 30,
        "Timeout": 5,
    }
    assert proxy["ReadonlyRootFilesystem"] is True
    assert proxy["MountPoints"] == [
        {"ContainerPath": "/tmp", "ReadOnly": False, "SourceVolume": "tmp"}
    ]
    assert containers_of("test", API)["migrate"]["Essential"] is False


def test_containers_wait_for_each_other_as_depends_on_says() -> None:
    app = containers_of("test", API)["app"]
    assert app["DependsOn"] == [
        {"Condition": "SUCCESS", "ContainerName": "migrate"},
        {"Condition": "HEALTHY", "ContainerName": "proxy"},
    ]
    agent = containers_of("test", WORKER)["agent"]
    assert agent["DependsOn"] == [{"Condition": "START", "ContainerName": "app"}]


def test_a_sidecar_secret_is_read_by_the_execution_role_that_secret_only() -> None:
    proxy = containers_of("test", API)["proxy"]
    assert [secret["Name"] for secret in proxy["Secrets"]] == ["PROXY_KEY"]
    assert "secret:sidecar/proxy-key" in str(proxy["Secrets"][0]["ValueFrom"])
    reads = [
        statement
        for statement in policy_statements("test", "ServiceApiTaskDefinitionExecutionRole")
        if "secretsmanager:GetSecretValue" in statement["Action"]
    ]
    assert len(reads) == 1
    assert str(reads[0]["Resource"]).count("secret:sidecar/proxy-key-??????") == 1


def test_firelens_routes_every_container_but_the_router_into_the_services_log_group() -> None:
    containers = containers_of("test", API)
    router = containers["log-router"]
    assert router["FirelensConfiguration"] == {"Type": "fluentbit"}
    assert router["Image"] == "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.3"
    assert router["LogConfiguration"]["LogDriver"] == "awslogs"
    assert router["LogConfiguration"]["Options"]["awslogs-stream-prefix"] == "api-log-router"
    for name in ("app", "proxy", "migrate"):
        logging = containers[name]["LogConfiguration"]
        assert logging["LogDriver"] == "awsfirelens"
        assert logging["Options"]["Name"] == "cloudwatch_logs"
        assert logging["Options"]["log_group_name"] == {"Ref": "ServiceApiTaskLogs4189AF74"}
        assert logging["Options"]["auto_create_group"] == "false"
    writes = policy_statements("test", "ServiceApiTaskDefinitionTaskRoleDefaultPolicy")
    assert writes == [
        {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": ["ServiceApiTaskLogs4189AF74", "Arn"]},
        }
    ]


def test_a_sidecar_image_in_ecr_may_be_pulled_by_the_execution_role_from_its_repository() -> None:
    agent = containers_of("test", WORKER)["agent"]
    assert "agents/metrics:1.4" in str(agent["Image"])
    statements = policy_statements("test", "ServiceWorkerTaskDefinitionExecutionRole")
    pulls = [statement for statement in statements if "ecr:BatchGetImage" in statement["Action"]]
    repository = ":ecr:us-east-1:123456789012:repository/agents/metrics"
    assert pulls[-1]["Resource"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, repository]]
    }
    assert len(pulls) == 2  # the service's own repository, and the sidecar's


def test_without_firelens_each_container_has_its_own_awslogs_stream_prefix() -> None:
    prefixes = {
        name: container["LogConfiguration"]["Options"]["awslogs-stream-prefix"]
        for name, container in containers_of("test", WORKER).items()
    }
    assert prefixes == {"app": "worker", "agent": "worker-agent"}


def test_platform_sets_the_runtime_platform_per_environment() -> None:
    arm = {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}
    x86 = {"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"}
    assert task_definition("test", API)["RuntimePlatform"] == arm
    assert task_definition("test", WORKER)["RuntimePlatform"] == x86
    assert task_definition("prod", WORKER)["RuntimePlatform"] == arm  # environments.prod


def test_the_env_file_is_an_s3_object_the_execution_role_may_read_and_nothing_more() -> None:
    files = containers_of("test", API)["app"]["EnvironmentFiles"]
    assert len(files) == 1 and files[0]["Type"] == "s3"
    partition = {"Ref": "AWS::Partition"}
    key = files[0]["Value"]["Fn::Join"][1][2].removeprefix(f":s3:::{ASSETS}/")
    assert re.fullmatch(r"[0-9a-f]{64}\.env", key)  # the asset's content hash
    assert files[0]["Value"] == {"Fn::Join": ["", ["arn:", partition, f":s3:::{ASSETS}/{key}"]]}
    statements = policy_statements("test", "ServiceApiTaskDefinitionExecutionRole")
    s3 = [statement for statement in statements if str(statement["Action"]).startswith("s3:")]
    assert s3 == [
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", ["arn:", partition, f":s3:::{ASSETS}/{key}"]]},
        },
        {
            "Action": "s3:GetBucketLocation",
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", ["arn:", partition, f":s3:::{ASSETS}"]]},
        },
    ]


def test_the_job_runs_on_its_platform_with_its_env_file() -> None:
    job = task_definition("test", "JobSweepDefinition")
    assert job["RuntimePlatform"] == {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}
    assert len(job["ContainerDefinitions"][0]["EnvironmentFiles"]) == 1

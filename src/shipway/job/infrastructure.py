"""A scheduled job: EventBridge Scheduler starts a Step Functions run of one Fargate task.

Step Functions (the way Copilot runs scheduled jobs) is what gives a run its timeout and its
retries: `ecs:runTask.sync` waits for the task to stop, fails the state on a non-zero exit
code, stops the task when the timeout passes, and retries with backoff. An alarm fires when a
run fails or times out.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from shipway.compliance import acknowledge, ignore_cfn_lint, skip_checkov
from shipway.contract import identity_variables
from shipway.encryption.infrastructure import encrypted_log_group
from shipway.observability.alarms import FIVE_MINUTES, GT, AlarmSpec, create_alarms
from shipway.service.secrets import add_manifest_secrets
from shipway.service.task import CONTAINER_NAME, environment_files, runtime_platform

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.cluster.infrastructure import Cluster
    from shipway.context import Shared
    from shipway.manifest.plan import JobPlan

RETRY_INTERVAL = cdk.Duration.seconds(60)
RETRY_BACKOFF = 2.0


class ScheduledJob(Construct):
    """One manifest job: its task, the state machine that runs it, its schedule and alarm."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        job: JobPlan,
        image: ecs.ContainerImage,
        cluster: Cluster,
        shared: Shared,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = job.name, job.spec, shared
        self.physical_name = job.physical_name
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=cluster.network.vpc,
            description=f"job {job.name}: no inbound, calls out only",
        )
        self.definition, self.container = self._task(image, job.env_file)
        add_manifest_secrets(self, self, self.spec.secrets)
        for variable, value in identity_variables(shared.app, shared.environment, job.name).items():
            self.add_environment(variable, value)
        self.state_machine = self._state_machine(cluster)
        self.schedule = scheduler.Schedule(
            self,
            "Schedule",
            schedule_name=self.physical_name,
            schedule=scheduler.ScheduleExpression.expression(self.spec.schedule),
            target=scheduler_targets.StepFunctionsStartExecution(
                self.state_machine, retry_attempts=0
            ),
            key=shared.key,
            description=f"{shared.label}: job {job.name}",
        )
        create_alarms(
            self,
            prefix=self.physical_name,
            specs=self._alarm_specs(),
            topic=shared.topic,
            capability="job",
        )

    def _task(
        self, image: ecs.ContainerImage, env_file: Path | None
    ) -> tuple[ecs.TaskDefinition, ecs.ContainerDefinition]:
        spec = self.spec
        definition = ecs.FargateTaskDefinition(
            self,
            "Definition",
            cpu=spec.cpu,
            memory_limit_mib=spec.memory,
            family=self.physical_name,
            runtime_platform=runtime_platform(spec.platform),
        )
        log_group = encrypted_log_group(
            self,
            "Logs",
            key=self.shared.key,
            retention=self.shared.log_retention,
        )
        container = definition.add_container(
            CONTAINER_NAME,
            image=image,
            essential=True,
            command=spec.command,
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix=self.name, log_group=log_group, mode=ecs.AwsLogDriverMode.NON_BLOCKING
            ),
            readonly_root_filesystem=True,
            user=spec.user,
            environment=dict(spec.environment),
            environment_files=environment_files(self, env_file, definition.obtain_execution_role()),
        )
        definition.add_volume(name="tmp")
        container.add_mount_points(
            ecs.MountPoint(container_path="/tmp", source_volume="tmp", read_only=False)  # noqa: S108
        )
        acknowledge(
            definition.obtain_execution_role(),
            "IAM5[Resource::*]",
            "ecr:GetAuthorizationToken only accepts Resource '*'; every other statement of the "
            "execution role names its repository, log group or secret.",
        )
        acknowledge(
            definition,
            "ECS2",
            "Only non-secret configuration is passed as plain environment variables; secrets go "
            "through ECS secrets (manifest 'secrets' and 'uses').",
        )
        return definition, container

    def _state_machine(self, cluster: Cluster) -> sfn.StateMachine:
        spec = self.spec
        run = tasks.EcsRunTask(
            self,
            "Run",
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            cluster=cluster.cluster,
            task_definition=self.definition,
            launch_target=tasks.EcsFargateLaunchTarget(
                platform_version=ecs.FargatePlatformVersion.LATEST
            ),
            subnets=cluster.network.service_subnets,
            security_groups=[self.security_group],
            assign_public_ip=False,
            propagated_tag_source=ecs.PropagatedTagSource.TASK_DEFINITION,
            task_timeout=sfn.Timeout.duration(cdk.Duration.seconds(spec.timeout)),
        )
        if spec.retries:
            run.add_retry(
                errors=["States.ALL"],
                max_attempts=spec.retries,
                interval=RETRY_INTERVAL,
                backoff_rate=RETRY_BACKOFF,
            )
        log_group = encrypted_log_group(
            self,
            "RunLogs",
            key=self.shared.key,
            retention=self.shared.log_retention,
        )
        machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_name=self.physical_name,
            definition_body=sfn.DefinitionBody.from_chainable(run),
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL),
            tracing_enabled=True,
        )
        self._acknowledge_orchestration(machine)
        return machine

    def _acknowledge_orchestration(self, machine: sfn.StateMachine) -> None:
        """The wildcards Step Functions' own policy for `ecs:runTask.sync` needs, each said."""
        reason = (
            "Step Functions' own policy: ecs:StopTask and ecs:DescribeTasks on the tasks it "
            "starts (their ids are not known in advance), and X-Ray tracing and log delivery, "
            "which accept only Resource '*'."
        )
        acknowledge(machine.role, "IAM5[Resource::*]", reason)
        policy = machine.role.node.try_find_child("DefaultPolicy")
        assert isinstance(policy, iam.Policy)
        skip_checkov(policy, "CKV_AWS_111", reason)
        ignore_cfn_lint(
            machine,
            "W3005",
            "The CDK makes the state machine wait for its role's policy explicitly as well.",
        )
        for resource in _wildcard_resources(machine):
            acknowledge(
                machine.role,
                f"IAM5[Resource::{resource}]",
                f"ecs:RunTask on any revision of job {self.name}'s task definition family: "
                "each deploy registers a new revision and the state machine runs the latest.",
            )

    def _alarm_specs(self) -> list[AlarmSpec]:
        metrics = {
            short: self.state_machine.metric(name, statistic="Sum", period=FIVE_MINUTES)
            for short, name in (("failed", "ExecutionsFailed"), ("timed_out", "ExecutionsTimedOut"))
        }
        failures = cloudwatch.MathExpression(
            expression="FILL(failed, 0) + FILL(timed_out, 0)",
            using_metrics=metrics,
            period=FIVE_MINUTES,
            label="failed or timed-out runs",
        )
        return [
            AlarmSpec(
                "failed",
                failures,
                0,
                GT,
                f"A run of job {self.name} failed (a non-zero exit code, or it could not start) "
                f"or took longer than {self.spec.timeout} s, after {self.spec.retries} retries.",
                "Open the state machine's failed execution for the task's stop reason and exit "
                "code, then the job's logs.",
            )
        ]

    @property
    def task_role(self) -> iam.IRole:
        return self.definition.task_role

    @property
    def execution_role(self) -> iam.IRole:
        return self.definition.obtain_execution_role()

    def add_environment(self, name: str, value: str) -> None:
        """A plain (non-secret) environment variable for the job's container."""
        self.container.add_environment(name, value)

    def add_secret(self, name: str, secret: ecs.Secret) -> None:
        """An environment variable the execution role reads from Secrets Manager or SSM."""
        self.container.add_secret(name, secret)


def _wildcard_resources(machine: sfn.StateMachine) -> list[str]:
    """The `...:*` resources of the role's policy, as cdk-nag names them in a finding."""
    stack = cdk.Stack.of(machine)
    policy = machine.role.node.try_find_child("DefaultPolicy")
    assert isinstance(policy, iam.Policy)
    document = stack.resolve(policy.document.to_json())
    found = []
    for statement in document["Statement"]:
        resources = statement["Resource"]
        for resource in resources if isinstance(resources, list) else [resources]:
            if isinstance(resource, dict) and "Fn::Join" in resource:
                text = "".join(
                    part if isinstance(part, str) else json.dumps(part, separators=(",", ":"))
                    for part in resource["Fn::Join"][1]
                )
                if text.endswith("*"):
                    found.append(text)
    return found

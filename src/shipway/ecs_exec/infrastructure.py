"""ECS Exec in the cloud: the cluster's session settings and what a task needs to accept them.

Sessions run through Session Manager: the data channel is encrypted with the environment's key,
and everything typed and printed is logged to an encrypted log group of the cluster's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.encryption.infrastructure import encrypted_log_group

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms

    from shipway.service.task import ServiceTask

# The channels Session Manager opens to the agent in the container; these actions have no
# resource to scope them to (the Service Authorization Reference lists none).
SESSION_CHANNELS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
# The agent writes its state and logs here: with a read-only root filesystem it needs them
# writable (as the ECS Exec checker recommends), and nothing else becomes writable.
AGENT_PATHS = {"ssm-agent-state": "/var/lib/amazon", "ssm-agent-logs": "/var/log/amazon"}
WILDCARD_REASON = (
    "ECS Exec's session channels (ssmmessages:*Channel) and logs:DescribeLogGroups accept only "
    "Resource '*'; the session log writes and kms:Decrypt name the exec log group and key."
)


class ExecSessions(Construct):
    """The cluster's executeCommandConfiguration: the key and the session log group."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = key
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=key,
            retention=log_retention,
        )
        self.configuration = ecs.ExecuteCommandConfiguration(
            kms_key=key,
            logging=ecs.ExecuteCommandLogging.OVERRIDE,
            log_configuration=ecs.ExecuteCommandLogConfiguration(
                cloud_watch_log_group=self.log_group, cloud_watch_encryption_enabled=True
            ),
        )

    def enable(self, service: ecs.BaseService, task: ServiceTask, *, readonly_root: bool) -> None:
        """Turn ECS Exec on for service: the flag, the task role's policy, writable agent paths."""
        resource = service.node.default_child
        assert isinstance(resource, ecs.CfnService)
        resource.enable_execute_command = True
        # Beside the task role, not under the service: the service's own dependencies (on the
        # role) would repeat the policy's Ref to it (cfn-lint W3005).
        policy = iam.Policy(
            task,
            "ExecPolicy",
            roles=[task.definition.task_role],
            statements=self._statements(),
        )
        service.node.add_dependency(policy)  # tasks start with the channels allowed
        acknowledge(policy, "IAM5[Resource::*]", WILDCARD_REASON)
        skip_checkov(policy, "CKV_AWS_111", WILDCARD_REASON)
        skip_checkov(policy, "CKV_AWS_356", WILDCARD_REASON)
        if readonly_root:
            _writable_agent_paths(task)

    def _statements(self) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(actions=list(SESSION_CHANNELS), resources=["*"]),
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[self.key.key_arn]),
            iam.PolicyStatement(actions=["logs:DescribeLogGroups"], resources=["*"]),
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            ),
        ]


def _writable_agent_paths(task: ServiceTask) -> None:
    for volume, path in AGENT_PATHS.items():
        task.definition.add_volume(name=volume)
        task.container.add_mount_points(
            ecs.MountPoint(container_path=path, source_volume=volume, read_only=False)
        )

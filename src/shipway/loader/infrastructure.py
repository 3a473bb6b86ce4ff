"""The cloud side of a bucket's loader: S3 -> SQS (with a DLQ) -> Lambda -> DynamoDB."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.compliance.acknowledge import ignore_cfn_lint
from shipway.contract import REPORT_PREFIX, loader_variables
from shipway.encryption.infrastructure import encrypted_log_group
from shipway.loader.bundle import HANDLER, loader_bundle
from shipway.observability.alarms import FIVE_MINUTES, GT, AlarmSpec, create_alarms
from shipway.queue.infrastructure import encrypted_queue

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shipway.context import Shared
    from shipway.manifest.data import Loader
    from shipway.table.infrastructure import DataTable

RUNTIME = lambda_.Runtime.PYTHON_3_14
TIMEOUT = cdk.Duration.minutes(5)
# AWS recommends a visibility timeout of six times the function's timeout for SQS sources.
VISIBILITY_TIMEOUT = cdk.Duration.minutes(30)
MAX_RECEIVES = 3
BATCH_SIZE = 10
# Caps parallel loads (protects the table's capacity, bounds cost on a flood of uploads) at the
# event source: reserving concurrency on the function instead fails on accounts whose
# concurrency quota is low.
MAX_CONCURRENT_LOADS = 5
OLDEST_MESSAGE_SECONDS = 30 * 60
TABLE_KEY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")
ENI_ACTIONS = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:UnassignPrivateIpAddresses",
)


class BucketLoader(Construct):
    """Loads every object uploaded to a bucket into a table, reporting rejected records."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        physical_name: str,
        bucket: s3.Bucket,
        physical_bucket_name: str,
        spec: Loader,
        table: DataTable,
        shared: Shared,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.physical_name, self.shared = name, physical_name, shared
        self.dead_letters = self._queue("DeadLetters", retention=cdk.Duration.days(14))
        self.queue = self._queue(
            "Queue",
            retention=cdk.Duration.days(4),
            visibility_timeout=VISIBILITY_TIMEOUT,
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=MAX_RECEIVES, queue=self.dead_letters
            ),
        )
        self._notify(bucket, physical_bucket_name)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        self.function = self._function(table, spec)
        self.function.add_event_source(
            event_sources.SqsEventSource(
                self.queue,
                batch_size=BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=MAX_CONCURRENT_LOADS,
            )
        )
        self._grant(bucket, table)
        create_alarms(
            self,
            prefix=physical_name,
            specs=self._alarm_specs(),
            topic=shared.topic,
            capability="loader",
        )

    def _queue(
        self,
        construct_id: str,
        *,
        retention: cdk.Duration,
        visibility_timeout: cdk.Duration | None = None,
        dead_letter_queue: sqs.DeadLetterQueue | None = None,
    ) -> sqs.Queue:
        return encrypted_queue(
            self,
            construct_id,
            key=self.shared.key,
            retention=retention,
            visibility_timeout=visibility_timeout,
            dead_letter_queue=dead_letter_queue,
        )

    def _notify(self, bucket: s3.Bucket, physical_bucket_name: str) -> None:
        # CloudFormation's own notification configuration (no custom resource). The queue
        # policy names the bucket by its literal name, so the bucket can wait for the policy
        # without a dependency cycle.
        stack = cdk.Stack.of(self)
        self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                sid="S3ObjectCreated",
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.queue.queue_arn],
                conditions={
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{stack.partition}:s3:::{physical_bucket_name}"
                    },
                    "StringEquals": {"aws:SourceAccount": stack.account},
                },
            )
        )
        cfn_bucket = bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(
                    event="s3:ObjectCreated:*", queue=self.queue.queue_arn
                )
            ]
        )
        cfn_bucket.node.add_dependency(self.queue.node.find_child("Policy"))

    def _function(self, table: DataTable, spec: Loader) -> lambda_.Function:
        shared, network = self.shared, self.shared.network
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=shared.key,
            retention=shared.log_retention,
        )
        function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(loader_bundle())),
            role=self.role,
            description=f"shipway: loads bucket {self.name} into table {table.name}",
            timeout=TIMEOUT,
            memory_size=512,
            tracing=lambda_.Tracing.ACTIVE,
            environment=self._environment(table, spec),
            environment_encryption=shared.key,
            log_group=self.log_group,
            vpc=network.vpc,
            vpc_subnets=network.service_subnets,
            security_groups=[self._security_group()],
        )
        function.node.add_dependency(self._network_interfaces())
        ignore_cfn_lint(
            function,
            "W3005",
            "The CDK makes a function depend on its role and each of its policies, so that it "
            "never runs before its permissions exist; the role's GetAtt repeats one of them.",
        )
        skip_checkov(
            function,
            "CKV_AWS_115",
            f"Parallel loads are capped at {MAX_CONCURRENT_LOADS} by the SQS event source's "
            "maximum concurrency; reserved concurrency would fail on accounts with a low "
            "concurrency quota.",
        )
        skip_checkov(
            function,
            "CKV_AWS_116",
            "Only the SQS event source invokes this function (synchronously); messages that "
            "keep failing go to the queue's dead-letter queue, so an async DLQ stays empty.",
        )
        return function

    def _security_group(self) -> ec2.SecurityGroup:
        # In the VPC's private subnets: S3 and DynamoDB are reached through its gateway
        # endpoints, and the security group lets nothing in and only HTTPS out.
        security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=self.shared.network.vpc,
            allow_all_outbound=False,
            description=f"loader of bucket {self.name}: HTTPS out to AWS APIs only",
        )
        security_group.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to AWS")
        return security_group

    def _environment(self, table: DataTable, spec: Loader) -> dict[str, str]:
        """The loader's variables (docs/wiring.md) and Powertools' names."""
        return loader_variables(
            table_name=table.table_name, key_schema=table.key_schema_json(), format=spec.format
        ) | {
            "POWERTOOLS_SERVICE_NAME": self.physical_name,
            "POWERTOOLS_METRICS_NAMESPACE": f"shipway/{self.shared.app}",
        }

    def _network_interfaces(self) -> iam.Policy:
        # A policy of its own, so the one finding it has stays with it.
        policy = iam.Policy(
            self,
            "NetworkInterfaces",
            roles=[self.role],
            statements=[iam.PolicyStatement(actions=list(ENI_ACTIONS), resources=["*"])],
        )
        reason = (
            "Lambda creates the function's network interfaces in the VPC with these EC2 "
            "actions, which accept only Resource '*' (as AWSLambdaVPCAccessExecutionRole does)."
        )
        skip_checkov(policy, "CKV_AWS_111", reason)
        acknowledge(policy, "IAM5[Resource::*]", reason)
        return policy

    def _allow(self, actions: Sequence[str], resource: str, via: str | None = None) -> None:
        region = cdk.Stack.of(self).region
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(actions),
                resources=[resource],
                conditions=(
                    {"StringEquals": {"kms:ViaService": f"{via}.{region}.amazonaws.com"}}
                    if via
                    else None
                ),
            )
        )

    def _grant(self, bucket: s3.Bucket, table: DataTable) -> None:
        self.log_group.grant_write(self.role)
        key = self.shared.key.key_arn
        self._allow(["s3:GetObject"], bucket.arn_for_objects("*"))
        self._allow(
            ["s3:DeleteObject", "s3:PutObject"], bucket.arn_for_objects(f"{REPORT_PREFIX}*")
        )
        self._allow(["kms:Decrypt", "kms:GenerateDataKey"], key, via="s3")
        self._allow(["dynamodb:BatchWriteItem", "dynamodb:PutItem"], table.table.table_arn)
        table.grant_key(self.role, TABLE_KEY_ACTIONS)
        cfn_bucket = bucket.node.default_child
        assert isinstance(cfn_bucket, cdk.CfnElement)
        arn = f"<{cdk.Stack.of(self).get_logical_id(cfn_bucket)}.Arn>"
        acknowledge(
            self.role,
            "IAM5[Resource::*]",
            "X-Ray tracing's PutTraceSegments and PutTelemetryRecords accept only Resource '*'.",
        )
        acknowledge(
            self.role,
            f"IAM5[Resource::{arn}/*]",
            "The loader reads whichever object was uploaded, under any key of its bucket.",
        )
        acknowledge(
            self.role,
            f"IAM5[Resource::{arn}/{REPORT_PREFIX}*]",
            f"The loader writes and replaces rejection reports under {REPORT_PREFIX} only.",
        )

    def _alarm_specs(self) -> list[AlarmSpec]:
        minute = cdk.Duration.minutes(1)
        dead_letters = self.dead_letters.metric_approximate_number_of_messages_visible(
            period=minute, statistic="Maximum"
        )
        oldest = self.queue.metric_approximate_age_of_oldest_message(
            period=minute, statistic="Maximum"
        )
        errors = self.function.metric_errors(period=FIVE_MINUTES, statistic="Sum")
        return [
            AlarmSpec(
                "dead-letters",
                dead_letters,
                0,
                GT,
                f"Uploads to bucket {self.name} failed to load {MAX_RECEIVES} times and wait "
                "in the dead-letter queue.",
                "Read the loader's logs for the object keys; fix the file or the table, then "
                "redrive the dead-letter queue.",
            ),
            AlarmSpec(
                "errors",
                errors,
                0,
                GT,
                "The loader function crashed or timed out; the batch will be retried.",
                "Read the loader's logs for the exception around the alarm time.",
            ),
            AlarmSpec(
                "oldest-message",
                oldest,
                OLDEST_MESSAGE_SECONDS,
                GT,
                "Uploads wait more than 30 minutes to be loaded: the loader is stuck or far "
                "behind.",
                "Check the loader's errors, throttles and concurrency.",
                periods=3,
            ),
        ]

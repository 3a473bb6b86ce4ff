"""The cloud side of a bucket's loader: S3 -> SQS (with a DLQ) -> Lambda -> DynamoDB.

The Lambda code is built at synth time without Docker: the `shipway.loader` runtime modules
and the pure-Python packages they import, copied from this installation.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.context import EnvironmentContext
from shipway.manifest.data import Loader
from shipway.observability.alarms import FIVE_MINUTES, GT, AlarmSpec, create_alarms
from shipway.service.wiring import loader_variables

if TYPE_CHECKING:
    from shipway.table.infrastructure import DataTable

HANDLER = "shipway.loader.runtime.handler"
RUNTIME = lambda_.Runtime.PYTHON_3_14
# Pure Python, imported by the runtime; boto3 comes with the Lambda runtime. ijson falls back
# to its pure-Python backend without its C extension.
BUNDLED_PACKAGES = ("aws_lambda_powertools", "ijson", "tenacity")
BUNDLED_MODULES = ("typing_extensions",)
TIMEOUT = cdk.Duration.minutes(5)
# AWS recommends a visibility timeout of six times the function's timeout for SQS sources.
VISIBILITY_TIMEOUT = cdk.Duration.minutes(30)
MAX_RECEIVES = 3
BATCH_SIZE = 10
# Caps parallel loads: protects the table's capacity and bounds cost on a flood of uploads.
RESERVED_CONCURRENCY = 5
OLDEST_MESSAGE_SECONDS = 30 * 60
REPORT_PREFIX = "reports/"
ENI_ACTIONS = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:UnassignPrivateIpAddresses",
)


@functools.cache
def loader_asset() -> Path:
    """The Lambda code directory, built once per process (every environment shares it)."""
    root = Path(tempfile.mkdtemp(prefix="shipway-loader-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "shipway").mkdir()
    (root / "shipway" / "__init__.py").write_text('"""shipway: the loader only."""\n')
    _copy_python(Path(__file__).parent, root / "shipway" / "loader", exclude={Path(__file__).name})
    for name in BUNDLED_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, name
        _copy_python(Path(next(iter(spec.submodule_search_locations))), root / name)
    for name in BUNDLED_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, name
        shutil.copyfile(spec.origin, root / f"{name}.py")
    return root


def _copy_python(source: Path, target: Path, exclude: set[str] | None = None) -> None:
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source)
        if "__pycache__" in relative.parts or str(relative) in (exclude or set()):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


class BucketLoader(Construct):
    """Loads every object uploaded to a bucket into a table, reporting rejected records."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        bucket: s3.Bucket,
        physical_bucket_name: str,
        spec: Loader,
        table: DataTable,
        context: EnvironmentContext,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.context = name, context
        key = context.key
        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            visibility_timeout=VISIBILITY_TIMEOUT,
            retention_period=cdk.Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=MAX_RECEIVES, queue=self.dead_letters
            ),
        )
        self._notify(bucket, physical_bucket_name)
        self.function = self._function(table, spec)
        self.function.add_event_source(
            event_sources.SqsEventSource(
                self.queue, batch_size=BATCH_SIZE, report_batch_item_failures=True
            )
        )
        self._grant(bucket, table)
        create_alarms(
            self,
            prefix=context.physical_name(f"{name}-loader"),
            specs=self._alarm_specs(),
            topic=context.topic,
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
        cfn_bucket, policy = bucket.node.default_child, self.queue.node.find_child("Policy")
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(
                    event="s3:ObjectCreated:*", queue=self.queue.queue_arn
                )
            ]
        )
        cfn_bucket.node.add_dependency(policy)

    def _function(self, table: DataTable, spec: Loader) -> lambda_.Function:
        context = self.context
        network = context.network
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"loader of bucket {self.name}",
        )
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=context.log_retention,
            encryption_key=context.key,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description=f"loader of bucket {self.name}: HTTPS out to AWS APIs only",
        )
        self.security_group.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to S3 and DynamoDB (gateway endpoints)"
        )
        environment = loader_variables(
            table_name=table.table_name,
            table=table.spec,
            format=spec.format,
            report_prefix=REPORT_PREFIX,
        )
        environment |= {
            "POWERTOOLS_SERVICE_NAME": context.physical_name(f"{self.name}-loader"),
            "POWERTOOLS_METRICS_NAMESPACE": f"shipway/{context.manifest.name}",
        }
        function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(loader_asset())),
            role=self.role,
            description=f"shipway: loads bucket {self.name} into table {table.name}",
            timeout=TIMEOUT,
            memory_size=512,
            reserved_concurrent_executions=RESERVED_CONCURRENCY,
            tracing=lambda_.Tracing.ACTIVE,
            environment=environment,
            environment_encryption=context.key,
            log_group=self.log_group,
            vpc=network.vpc,
            vpc_subnets=network.service_subnets,
            security_groups=[self.security_group],
        )
        function.node.add_dependency(self._network_interfaces())
        skip_checkov(
            function,
            "CKV_AWS_116",
            "Only the SQS event source invokes this function "
            "(synchronously); messages that keep failing go to the queue's "
            "dead-letter queue, so an async DLQ would never receive anything.",
        )
        return function

    def _network_interfaces(self) -> iam.Policy:
        # Its own policy, so the one finding it has (write actions on '*') stays with it.
        policy = iam.Policy(
            self,
            "NetworkInterfaces",
            roles=[self.role],
            statements=[iam.PolicyStatement(actions=list(ENI_ACTIONS), resources=["*"])],
        )
        skip_checkov(
            policy,
            "CKV_AWS_111",
            "Lambda creates its network interfaces in the "
            "VPC with these EC2 actions, which accept only Resource '*' (as in AWS's "
            "AWSLambdaVPCAccessExecutionRole).",
        )
        acknowledge(
            policy,
            "IAM5[Resource::*]",
            "EC2 network interface actions for a Lambda "
            "function in a VPC accept only Resource '*'.",
        )
        return policy

    def _grant(self, bucket: s3.Bucket, table: DataTable) -> None:
        role, stack = self.role, cdk.Stack.of(self)
        self.log_group.grant_write(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[bucket.arn_for_objects("*")])
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:DeleteObject", "s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{REPORT_PREFIX}*")],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[self.context.key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}},
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:BatchWriteItem", "dynamodb:PutItem"],
                resources=[table.table.table_arn],
            )
        )
        table.grant_key(
            role, ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")
        )
        self._acknowledge(bucket)

    def _acknowledge(self, bucket: s3.Bucket) -> None:
        cfn_bucket = bucket.node.default_child
        assert isinstance(cfn_bucket, cdk.CfnElement)
        arn = f"<{cdk.Stack.of(self).get_logical_id(cfn_bucket)}.Arn>"
        acknowledge(
            self.role,
            "IAM5[Resource::*]",
            "Lambda in a VPC needs the EC2 network "
            "interface actions and X-Ray tracing needs PutTraceSegments; both accept "
            "only Resource '*'.",
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
        return [
            AlarmSpec(
                "dead-letters",
                self.dead_letters.metric_approximate_number_of_messages_visible(
                    period=minute, statistic="Maximum"
                ),
                0,
                GT,
                f"Uploads to bucket {self.name} failed to load three times and wait in "
                "the dead-letter queue.",
                "Read the loader's logs for the object keys; fix the file or the table, "
                "then redrive the dead-letter queue.",
            ),
            AlarmSpec(
                "errors",
                self.function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
                0,
                GT,
                "The loader function crashed or timed out; the batch will be retried.",
                "Read the loader's logs for the exception around the alarm time.",
            ),
            AlarmSpec(
                "oldest-message",
                self.queue.metric_approximate_age_of_oldest_message(
                    period=minute, statistic="Maximum"
                ),
                OLDEST_MESSAGE_SECONDS,
                GT,
                "Uploads wait more than 30 minutes to be loaded: the loader is stuck "
                "or far behind.",
                "Check the loader's errors, throttles and concurrency.",
                periods=3,
            ),
        ]

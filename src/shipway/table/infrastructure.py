"""A manifest table as DynamoDB: PITR, the environment's KMS key, TTL, indexes, alarms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from shipway.contract import table_variable
from shipway.encryption.infrastructure import grant_key_through
from shipway.observability.alarms import FIVE_MINUTES, GT, AlarmSpec, create_alarms
from shipway.stack_names import kept_name
from shipway.table.keys import key_schema_json

if TYPE_CHECKING:
    from shipway.context import ServiceRuntime, Shared
    from shipway.manifest import EnvironmentPlan, TablePlan
    from shipway.manifest.data import Index, Key

READ_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
WRITE_ACTIONS = (
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)
# DynamoDB uses the table's KMS key on the caller's behalf; ViaService keeps these grants from
# decrypting anything else the environment key protects.
KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")
# An alarm's metric math takes at most 10 metrics: the operations applications call.
ALARMED_OPERATIONS = (
    dynamodb.Operation.GET_ITEM,
    dynamodb.Operation.BATCH_GET_ITEM,
    dynamodb.Operation.QUERY,
    dynamodb.Operation.SCAN,
    dynamodb.Operation.PUT_ITEM,
    dynamodb.Operation.UPDATE_ITEM,
    dynamodb.Operation.DELETE_ITEM,
    dynamodb.Operation.BATCH_WRITE_ITEM,
)
AUTOSCALING_TARGET_PERCENT = 70
KEY_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}


def build_tables(scope: Construct, plan: EnvironmentPlan, shared: Shared) -> dict[str, DataTable]:
    """Every table of the environment's plan."""
    return {
        name: DataTable(scope, table.construct_id, table=table, shared=shared)
        for name, table in plan.tables.items()
    }


class DataTable(Construct):
    """One manifest table; services reach it as `TABLE_<NAME>`."""

    def __init__(
        self, scope: Construct, construct_id: str, *, table: TablePlan, shared: Shared
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = table.name, table.spec, shared
        self.physical_name = table.physical_name
        self.table = self._table()
        for index in self.spec.indexes:
            self._add_index(index)
        if self.spec.billing == "provisioned":
            self._autoscale()
        create_alarms(
            self,
            prefix=self.physical_name,
            specs=self._alarm_specs(),
            topic=shared.topic,
            capability="table",
        )

    def _table(self) -> dynamodb.Table:
        spec, shared = self.spec, self.shared
        provisioned = spec.billing == "provisioned"
        return dynamodb.Table(
            self,
            "Table",
            table_name=kept_name(self.physical_name, retain=shared.retain),
            partition_key=_attribute(spec.partition_key),
            sort_key=_attribute(spec.sort_key) if spec.sort_key else None,
            billing_mode=(
                dynamodb.BillingMode.PROVISIONED
                if provisioned
                else dynamodb.BillingMode.PAY_PER_REQUEST
            ),
            read_capacity=spec.read_capacity if provisioned else None,
            write_capacity=spec.write_capacity if provisioned else None,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=shared.key,
            deletion_protection=shared.protect,
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=cdk.RemovalPolicy.RETAIN if shared.retain else cdk.RemovalPolicy.DESTROY,
        )

    @property
    def table_name(self) -> str:
        return self.table.table_name

    @property
    def index_arns(self) -> list[str]:
        """Each index by name: grants never need a wildcard."""
        return [f"{self.table.table_arn}/index/{index.name}" for index in self.spec.indexes]

    def _add_index(self, index: Index) -> None:
        provisioned = self.spec.billing == "provisioned"
        self.table.add_global_secondary_index(
            index_name=index.name,
            partition_key=_attribute(index.partition_key),
            sort_key=_attribute(index.sort_key) if index.sort_key else None,
            projection_type=(
                dynamodb.ProjectionType.ALL
                if index.projection == "all"
                else dynamodb.ProjectionType.KEYS_ONLY
            ),
            read_capacity=self.spec.read_capacity if provisioned else None,
            write_capacity=self.spec.write_capacity if provisioned else None,
        )

    def _autoscale(self) -> None:
        spec = self.spec
        self.table.auto_scale_read_capacity(
            min_capacity=spec.read_capacity,
            max_capacity=spec.max_read_capacity,
        ).scale_on_utilization(target_utilization_percent=AUTOSCALING_TARGET_PERCENT)
        self.table.auto_scale_write_capacity(
            min_capacity=spec.write_capacity,
            max_capacity=spec.max_write_capacity,
        ).scale_on_utilization(target_utilization_percent=AUTOSCALING_TARGET_PERCENT)
        for index in spec.indexes:
            self.table.auto_scale_global_secondary_index_read_capacity(
                index.name,
                min_capacity=spec.read_capacity,
                max_capacity=spec.max_read_capacity,
            ).scale_on_utilization(target_utilization_percent=AUTOSCALING_TARGET_PERCENT)
            self.table.auto_scale_global_secondary_index_write_capacity(
                index.name,
                min_capacity=spec.write_capacity,
                max_capacity=spec.max_write_capacity,
            ).scale_on_utilization(target_utilization_percent=AUTOSCALING_TARGET_PERCENT)

    def _alarm_specs(self) -> list[AlarmSpec]:
        throttles = _throttles(self.table.table_name)
        errors = _system_errors(self.table.table_name)
        return [
            AlarmSpec(
                "throttled",
                throttles,
                0,
                GT,
                "Requests were throttled: callers see errors or retry slowly.",
                "Look for a hot partition key or a burst in the table's metrics; raise "
                "the capacity (provisioned) or spread the keys.",
            ),
            AlarmSpec(
                "system-errors",
                errors,
                0,
                GT,
                "DynamoDB itself failed requests (HTTP 500); callers must retry.",
                "Check the AWS Health Dashboard for DynamoDB in this region; make sure "
                "callers retry with backoff.",
            ),
        ]

    def grant(self, principal: iam.IGrantable, access: str) -> None:
        """Read (`read`) or read and write (`read_write`) items, indexes included."""
        write = access != "read"
        actions = [*READ_ACTIONS, *(WRITE_ACTIONS if write else ())]
        principal.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(actions=actions, resources=[self.table.table_arn, *self.index_arns])
        )
        self.grant_key(principal, KEY_READ_ACTIONS + (KEY_WRITE_ACTIONS if write else ()))

    def grant_key(self, principal: iam.IGrantable, actions: tuple[str, ...]) -> None:
        """The key actions DynamoDB performs for principal on this table."""
        grant_key_through(principal, self.shared.key, "dynamodb", actions)

    def key_schema_json(self) -> str:
        """The loader's `KEY_SCHEMA` for this table (docs/wiring.md)."""
        return key_schema_json(self.spec)

    def connect(self, service: ServiceRuntime, access: str) -> None:
        """`TABLE_<NAME>` and read or read/write access to the table and its indexes."""
        service.add_environment(table_variable(self.name), self.table.table_name)
        self.grant(service.task_role, access)


def _attribute(key: Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=KEY_TYPES[key.type])


def _throttles(table_name: str) -> cloudwatch.IMetric:
    return _sum_of(
        "throttled requests",
        {
            short: _metric(metric, {"TableName": table_name})
            for short, metric in (
                ("reads", "ReadThrottleEvents"),
                ("writes", "WriteThrottleEvents"),
            )
        },
    )


def _system_errors(table_name: str) -> cloudwatch.IMetric:
    return _sum_of(
        "system errors",
        {
            operation.value.lower(): _metric(
                "SystemErrors", {"TableName": table_name, "Operation": operation.value}
            )
            for operation in ALARMED_OPERATIONS
        },
    )


def _metric(name: str, dimensions: dict[str, str]) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace="AWS/DynamoDB",
        metric_name=name,
        dimensions_map=dimensions,
        statistic="Sum",
        period=FIVE_MINUTES,
    )


def _sum_of(label: str, metrics: dict[str, cloudwatch.Metric]) -> cloudwatch.IMetric:
    # DynamoDB publishes these only when they happen: a plain `a + b` would be empty whenever
    # one of them is, so fill the gaps with zero before adding.
    filled = ", ".join(f"FILL({name}, 0)" for name in metrics)
    return cloudwatch.MathExpression(
        expression=f"SUM([{filled}])", using_metrics=metrics, period=FIVE_MINUTES, label=label
    )

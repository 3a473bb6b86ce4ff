"""Small corrections to moto's CloudFormation models that shipway's templates run into.

Each one fixes a moto bug (not a missing feature: those are stand-ins), applied only inside the
rehearsal's moto process. When moto fixes the bug upstream the correction becomes a no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moto.cloudformation import models as cloudformation_models
from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudformation.parsing import OutputMap
from moto.ec2 import models as ec2_models
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.elbv2 import models as elbv2_models
from moto.kms import models as kms_models

if TYPE_CHECKING:
    from collections.abc import Callable


def apply_fixes() -> None:
    """Install every correction below."""
    _kms_key_tags_in_cloudformation_form()
    _load_balancer_full_names()
    _network_resources_deleted_with_their_stack()
    _change_sets_with_outputs_and_exports()
    _deleting_an_unknown_change_set()
    _public_parameters_aws_publishes()
    _services_updated_to_the_new_revision()
    _task_definition_revisions_in_the_apis_form()
    _termination_protection()
    _services_settled_at_their_desired_count()


def _kms_key_tags_in_cloudformation_form() -> None:
    # moto 5.2 hands a template's Tags ({Key, Value}) to the KMS tagger, which wants the KMS API's
    # {TagKey, TagValue}, and fails every stack with a tagged key (all of shipway's).
    create = kms_models.Key.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def create_with_kms_tags(
        cls: type, resource_name: str, cloudformation_json: Any, *args: Any, **kwargs: Any
    ) -> Any:
        properties = cloudformation_json.get("Properties", {})
        properties["Tags"] = [
            {"TagKey": tag.get("Key", tag.get("TagKey")), "TagValue": tag.get("Value", "")}
            for tag in properties.get("Tags", [])
        ]
        return create(cls, resource_name, cloudformation_json, *args, **kwargs)

    kms_models.Key.create_from_cloudformation_json = classmethod(create_with_kms_tags)  # type: ignore[assignment]


def _load_balancer_full_names() -> None:
    # Alarms and request-count scaling name a load balancer and a target group by their "full
    # names" (the ARN's tail); moto answers neither, so those properties vanished or failed.
    balancer_attribute = elbv2_models.FakeLoadBalancer.get_cfn_attribute

    def balancer_full_name(self: Any, attribute: str) -> Any:
        if attribute == "LoadBalancerFullName":
            return self.arn.split(":loadbalancer/", 1)[1]
        if attribute == "SecurityGroups":
            return list(self.security_groups)
        return balancer_attribute(self, attribute)

    def target_group_attribute(self: Any, attribute: str) -> Any:
        answers = {
            "TargetGroupFullName": self.arn.split(":", 5)[5],
            "TargetGroupName": self.name,
            "TargetGroupArn": self.arn,
            "LoadBalancerArns": list(self.load_balancer_arns),
        }
        return answers[attribute]

    elbv2_models.FakeLoadBalancer.get_cfn_attribute = balancer_full_name  # type: ignore[method-assign,assignment]
    elbv2_models.FakeTargetGroup.get_cfn_attribute = target_group_attribute  # type: ignore[attr-defined]


def _network_resources_deleted_with_their_stack() -> None:
    # moto cannot delete these when their stack is deleted, so the VPC "has dependencies" and
    # `cdk destroy` fails; each is deleted here the way CloudFormation deletes it.
    _deleted_by(ec2_models.route_tables.RouteTable, _delete_route_table)
    _deleted_by(ec2_models.nat_gateways.NatGateway, _delete_nat_gateway)
    _deleted_by(ec2_models.vpcs.VPCEndPoint, lambda ec2, id_: ec2.delete_vpc_endpoints([id_]))
    _deleted_by(ec2_models.internet_gateways.InternetGateway, _delete_internet_gateway)
    _deleted_by(ec2_models.vpn_gateway.VPCGatewayAttachment, _detach_internet_gateways)


def _deleted_by(model: type, delete: Callable[[Any, str], object]) -> None:
    def delete_from_cloudformation_json(
        cls: type, physical_id: str, cloudformation_json: Any, account_id: str, region: str
    ) -> None:
        try:
            delete(ec2_backends[account_id][region], physical_id)
        except EC2ClientError as error:
            # deleting the VPC also deletes its last route table: gone is what was wanted
            if not str(error.code).endswith(".NotFound"):
                raise

    model.delete_from_cloudformation_json = classmethod(delete_from_cloudformation_json)  # type: ignore[attr-defined]


def _delete_route_table(ec2: Any, route_table_id: str) -> None:
    for association_id in list(ec2.get_route_table(route_table_id)._associations):
        ec2.disassociate_route_table(association_id)
    ec2.delete_route_table(route_table_id)


def _delete_nat_gateway(ec2: Any, nat_gateway_id: str) -> None:
    gateway = ec2.delete_nat_gateway(nat_gateway_id)
    ec2.delete_network_interface(gateway._eni.id)


def _delete_internet_gateway(ec2: Any, gateway_id: str) -> None:
    gateway = ec2.get_internet_gateway(gateway_id)
    if gateway.vpc is not None:
        ec2.detach_internet_gateway(gateway_id, gateway.vpc.id)
    ec2.delete_internet_gateway(gateway_id)


def _detach_internet_gateways(ec2: Any, vpc_id: str) -> None:
    for gateway in ec2.describe_internet_gateways(filters={"attachment.vpc-id": vpc_id}):
        ec2.detach_internet_gateway(gateway.id, vpc_id)


def _change_sets_with_outputs_and_exports() -> None:
    # The CDK CLI deploys with change sets. moto builds a change set's stack without the
    # region's exports (its Fn::ImportValue finds nothing), and after running the change set it
    # neither reads the new template's outputs nor publishes its exports: describe_stacks shows
    # no outputs, and a stack importing another's value (shipway's registry) cannot be created.
    # Nor does it forget the stack's change sets once one has run.
    backend = cloudformation_models.CloudFormationBackend
    create, execute = backend.create_change_set, backend.execute_change_set

    def create_change_set(self: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
        change_set_id, stack_id = create(self, *args, **kwargs)
        stack = self.stacks[stack_id]
        stack.cross_stack_resources = stack.resource_map.cross_stack_resources = self.exports
        return change_set_id, stack_id

    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.change_sets.get(change_set_name) or next(
            (
                found
                for found in self.change_sets.values()
                if found.change_set_name == change_set_name
            ),
            None,
        )
        stack = change_set.stack if change_set is not None else None
        published = [export.name for export in stack.exports] if stack is not None else []
        execute(self, change_set_name, stack_name)
        if stack is None:
            return
        stack._parse_template()
        stack.output_map = stack._create_output_map()
        for name in published:
            self.exports.pop(name, None)
        for export in stack.exports:
            self.exports[export.name] = export
        # CloudFormation drops a stack's change sets once one is executed; moto keeps them, and
        # finds them by name whatever the stack, so the next deploy's clean-up loops forever.
        for key in [key for key, found in self.change_sets.items() if found.stack is stack]:
            del self.change_sets[key]

    backend.create_change_set = create_change_set  # type: ignore[method-assign]
    backend.execute_change_set = execute_change_set  # type: ignore[method-assign]

    # A deleted stack keeps no outputs: moto evaluates them lazily, and evaluating one that
    # names a deleted resource creates that resource again (an orphaned ECR repository, say).
    delete = cloudformation_models.Stack.delete

    def delete_without_outputs(self: Any) -> None:
        delete(self)
        self.output_map = OutputMap(self.resource_map, {}, self.stack_id)

    cloudformation_models.Stack.delete = delete_without_outputs  # type: ignore[method-assign]


class ChangeSetNotFoundError(CloudFormationError):
    """What CloudFormation answers for a change set that does not exist."""

    code = "ChangeSetNotFound"


def _deleting_an_unknown_change_set() -> None:
    # The CDK CLI deletes its change set by name before making a new one, then waits until
    # describing it answers ChangeSetNotFound. moto crashes on the delete when there is none
    # (UnboundLocalError, an HTML 500) and answers a missing change set with "Stack ... does not
    # exist", which the CLI takes for a failure.
    backend = cloudformation_models.CloudFormationBackend
    delete, describe = backend.delete_change_set, backend.describe_change_set

    def describe_change_set(self: Any, change_set_name: str) -> Any:
        try:
            return describe(self, change_set_name)
        except CloudFormationError as error:
            if "does not exist" not in str(error):
                raise
            raise ChangeSetNotFoundError(f"ChangeSet [{change_set_name}] does not exist") from None

    def delete_change_set(self: Any, change_set_name: str) -> None:
        known = change_set_name in self.change_sets or any(
            found.change_set_name == change_set_name for found in self.change_sets.values()
        )
        if known:
            delete(self, change_set_name)

    backend.delete_change_set = delete_change_set  # type: ignore[method-assign]
    backend.describe_change_set = describe_change_set  # type: ignore[method-assign]


# Public SSM parameters AWS publishes in every region and moto lacks; templates read them as
# parameter values (the ECS-optimized AMI of EC2 capacity). A plausible value is enough: no
# instance ever boots in a rehearsal. And on an update moto looks up the previous, resolved
# value as if it were a parameter's name.
PUBLIC_PARAMETERS = {"/aws/service/ecs/optimized-ami/": "ami-0123456789abcdef0"}


def _public_parameters_aws_publishes() -> None:
    from moto.cloudformation import parsing

    parse = parsing.ResourceMap.parse_ssm_parameter

    def parse_ssm_parameter(self: Any, value: str, value_type: str) -> str:
        try:
            return parse(self, value, value_type)
        except AttributeError:  # moto's answer to a parameter it does not have
            for prefix, stand_in in PUBLIC_PARAMETERS.items():
                if value.startswith(prefix):
                    return stand_in
            if not value.startswith("/"):
                # An update passes the previous value (UsePreviousValue) where moto expects
                # the parameter's name: it is already resolved.
                return value
            raise

    parsing.ResourceMap.parse_ssm_parameter = parse_ssm_parameter  # type: ignore[method-assign]


def _services_updated_to_the_new_revision() -> None:
    # A new task definition revision is a new resource CloudFormation's Ref points at, so a
    # service that refers to it is updated. moto compares only a resource's written JSON (the
    # Ref is the same), leaves the service on the old revision, and a deploy could not tell it
    # rolled out from a rollback. After a change set runs, each service follows its Ref.
    backend = cloudformation_models.CloudFormationBackend
    execute = backend.execute_change_set

    def execute_and_follow(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        execute(self, change_set_name, stack_name)
        for stack in self.stacks.values():
            _follow_task_definitions(stack)

    backend.execute_change_set = execute_and_follow  # type: ignore[method-assign]


def _follow_task_definitions(stack: Any) -> None:
    from moto.ecs import models as ecs_models

    resources = stack.resource_map._parsed_resources
    written = stack.template_dict.get("Resources", {})
    for logical_id, service in list(resources.items()):
        if not isinstance(service, ecs_models.Service):
            continue
        reference = written.get(logical_id, {}).get("Properties", {}).get("TaskDefinition")
        definition = resources.get(reference.get("Ref")) if isinstance(reference, dict) else None
        if isinstance(definition, ecs_models.TaskDefinition) and (
            service.task_definition != definition.arn
        ):
            ecs_models.ecs_backends[stack.account_id][stack.region_name].update_service(
                {
                    "cluster": service.cluster_name,
                    "service": service.name,
                    "task_definition": definition.arn,
                }
            )


def _task_definition_revisions_in_the_apis_form() -> None:
    # moto turns a task definition's CloudFormation properties (Image, Environment, ...) into the
    # ECS API's form (image, environment) when it creates one, but not for a new revision made by
    # an update: describe_task_definition then lacks "image".
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys
    from moto.ecs import models as ecs_models

    update = ecs_models.TaskDefinition.update_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def update_in_api_form(cls: type, *args: Any, **kwargs: Any) -> Any:
        template = kwargs["cloudformation_json"] if "cloudformation_json" in kwargs else args[2]
        properties = template["Properties"]
        for key in ("ContainerDefinitions", "Volumes"):
            if key in properties:
                properties[key] = remap_nested_keys(properties[key], pascal_to_camelcase)
        return update(cls, *args, **kwargs)

    ecs_models.TaskDefinition.update_from_cloudformation_json = classmethod(update_in_api_form)  # type: ignore[method-assign,assignment]


def _termination_protection() -> None:
    # The CDK CLI turns termination protection on after it creates a protected stack (prod's
    # deletion_protection); moto has no UpdateTerminationProtection and answers 500. It records
    # the flag here (describe_stacks shows it); moto enforces it nowhere, nor does a rehearsal
    # delete a protected stack.
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult

    def update_termination_protection(self: Any) -> ActionResult:
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        enabled = self._get_param("EnableTerminationProtection")
        stack.enable_termination_protection = enabled in (True, "true")
        return ActionResult({"StackId": stack.stack_id})

    CloudFormationResponse.update_termination_protection = update_termination_protection  # type: ignore[attr-defined]


def _services_settled_at_their_desired_count() -> None:
    # No task runs in a rehearsal. moto's only knob (MOTO_ECS_SERVICE_RUNNING) reports one fixed
    # running count for every service, and desired minus it as pending, which goes negative
    # for a smaller service. ECS reports a steady service as running its desired count with
    # nothing pending and its rollout COMPLETED: so does the rehearsal.
    from moto.ecs import models as ecs_models

    describe = ecs_models.EC2ContainerServiceBackend.describe_services

    def describe_settled(self: Any, *args: Any, **kwargs: Any) -> Any:
        services, failures = describe(self, *args, **kwargs)
        for service in services:
            service.running_count, service.pending_count = service.desired_count, 0
            for deployment in service.deployments:
                if deployment.get("status") == "PRIMARY":
                    deployment["desiredCount"] = deployment["runningCount"] = service.desired_count
                    deployment["pendingCount"] = 0
                    deployment["rolloutState"] = "COMPLETED"
        return services, failures

    ecs_models.EC2ContainerServiceBackend.describe_services = describe_settled  # type: ignore[method-assign]

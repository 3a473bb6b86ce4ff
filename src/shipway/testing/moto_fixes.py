"""Small corrections to moto's CloudFormation models that shipway's templates run into.

Each one fixes a moto bug (not a missing feature: those are stand-ins), applied only inside the
rehearsal's moto process. When moto fixes the bug upstream the correction becomes a no-op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

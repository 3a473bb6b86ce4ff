"""A moto server whose CloudFormation can create every resource shipway synthesizes.

Run as ``python -m shipway.testing.moto_cloudformation --port N --report coverage.jsonl``. Before
serving it registers a stand-in model for each type in ``stand_ins.STAND_INS`` that moto does not
emulate itself, and appends one JSON line per created resource to the report, saying whether moto
emulated it, a stand-in answered for it, or nothing did (skipped). Tests read that file to say how
much of a deploy was real.
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
from pathlib import Path
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel

from shipway.testing.ecs_exec_stand_in import stand_in_execute_command
from shipway.testing.moto_fixes import apply_fixes
from shipway.testing.stand_ins import STAND_INS, StandIn


class _Placeholders(dict[str, Any]):
    """Template fields; an absent property falls back to the resource's name."""

    def __missing__(self, key: str) -> Any:
        return self["name"]


class _StandInResource:
    """A resource moto cannot create: it keeps its properties and answers Ref and GetAtt."""

    stand_in: StandIn

    def __init__(self, name: str, properties: dict[str, Any], account: str, region: str) -> None:
        self.properties = properties
        self.fields = _Placeholders(
            name=name,
            id=secrets.token_hex(8),
            account=account,
            region=region,
        )
        self.fields["p"] = _Placeholders(properties, name=name)

    @property
    def physical_resource_id(self) -> str:
        return self.stand_in.ref.format_map(self.fields)

    def get_cfn_attribute(self, attribute: str) -> str | list[str]:
        template = self.stand_in.attributes.get(attribute)
        if template is None:
            raise UnformattedGetAttTemplateException()
        if isinstance(template, tuple):
            return [item.format_map(self.fields) for item in template]
        return template.format_map(self.fields)

    @classmethod
    def has_cfn_attr(cls, attribute: str) -> bool:
        return attribute in cls.stand_in.attributes

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _StandInResource:
        properties = cloudformation_json.get("Properties", {})
        return cls(resource_name, properties, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: _StandInResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> _StandInResource:
        original_resource.properties = cloudformation_json.get("Properties", {})
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region: str
    ) -> None:
        """Nothing exists, so nothing is deleted."""


def register_stand_ins() -> list[str]:
    """Give moto's CloudFormation a model for each listed type it lacks; return those types."""
    native = {model.cloudformation_type() for model in CloudFormationModel.__subclasses__()}
    registered = []
    for stand_in in STAND_INS:
        if stand_in.type in native:
            continue  # moto learned this type: let it emulate it for real
        # moto finds models as direct subclasses of CloudFormationModel
        type(
            "StandIn" + stand_in.type.replace("::", ""),
            (_StandInResource, CloudFormationModel),
            {
                "stand_in": stand_in,
                "cloudformation_type": staticmethod(lambda t=stand_in.type: t),
                "cloudformation_name_type": staticmethod(lambda n=stand_in.name_property: n),
            },
        )
        registered.append(stand_in.type)
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    return registered


def record_resources(report: Path) -> None:
    """Append one JSON line per resource CloudFormation creates: emulated, stood in or skipped."""
    create = parsing.parse_and_create_resource
    lock = threading.Lock()

    def recorded(
        logical_id: str, resource_json: dict[str, Any], resources_map: Any, **where: str
    ) -> Any:
        entry = {
            "stack": resources_map["AWS::StackName"],
            "logical_id": logical_id,
            "type": resource_json["Type"],
        }
        try:
            resource = create(logical_id, resource_json, resources_map, **where)
        except Exception as error:
            write({**entry, "kind": "failed", "error": f"{type(error).__name__}: {error}"})
            raise
        condition = resource_json.get("Condition")
        if condition and not resources_map.lazy_condition_map[condition]:
            return resource  # not created: its condition is false
        entry["kind"] = _kind(resource)
        if isinstance(resource, _StandInResource):
            entry["properties"] = resource.properties
        write(entry)
        return resource

    def write(entry: dict[str, Any]) -> None:
        with lock, report.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, default=str) + "\n")

    parsing.parse_and_create_resource = recorded  # type: ignore[assignment]


def _kind(resource: object) -> str:
    if resource is None:
        return "skipped"
    return "stood_in" if isinstance(resource, _StandInResource) else "emulated"


def main(argv: list[str] | None = None) -> None:
    """Register the stand-ins, start recording, then serve like ``moto_server``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--report", type=Path, required=True, help="JSON lines, one a resource")
    arguments = parser.parse_args(argv)
    apply_fixes()
    register_stand_ins()
    stand_in_execute_command()
    record_resources(arguments.report)
    from moto.server import main as serve

    serve(["-H", arguments.host, "-p", str(arguments.port)])


if __name__ == "__main__":
    main()

"""A manifest `shipway validate` accepts must synthesize: hypothesis writes manifests across
sections and options (fixed seed, bounded), and every one that validates is synthesized for
every environment. A synth failure here is a validate bug."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from shipway.manifest import ManifestError
from shipway.manifest.loading import manifest_from
from shipway.manifest.yaml_source import parse_yaml
from shipway.synthesis import synthesize

if TYPE_CHECKING:
    from pathlib import Path

SIZES = [(256, 512), (256, 1024), (512, 1024), (512, 2048), (1024, 2048)]
SERVICE_NAMES = ["web", "api", "admin-2", "worker"]
DATA_NAMES = ["users", "orders", "session", "imports", "jwt-key", "audit-log"]


@st.composite
def environments(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(
        st.lists(st.sampled_from(["test", "prod", "staging"]), min_size=1, max_size=2, unique=True)
    )
    result = {}
    for name in names:
        zones = draw(st.integers(2, 3))
        environment: dict[str, Any] = {
            "account": "123456789012",
            "region": draw(st.sampled_from(["us-east-1", "eu-west-1"])),
            "availability_zones": zones,
            "nat_gateways": draw(st.integers(0, zones)),
        }
        if draw(st.booleans()):
            environment["domain"] = {"zone": "example.com", "zone_id": "Z0123456789ABCDEFGHIJ"}
        if draw(st.booleans()):
            environment["alarm_email"] = "oncall@example.com"
        result[name] = environment
    return result


@st.composite
def service(draw: st.DrawFn, index: int, others: list[str], environment: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["web", "backend"]))
    compute = draw(
        st.sampled_from(["fargate", "fargate_spot", "ec2"] + (["express"] if kind == "web" else []))
    )
    cpu, memory = draw(st.sampled_from(SIZES))
    spec: dict[str, Any] = {
        "type": kind,
        "image": {"build": {"context": "."}} if draw(st.booleans()) else {"uri": "nginx:1"},
        "port": 8000 + index,
        "cpu": cpu,
        "memory": memory,
        "compute": compute,
    }
    if compute == "express":
        metric = draw(st.sampled_from(["cpu", "memory", "requests_per_target"]))
        scaling = {
            "min": 1,
            "max": 3,
            "cpu": None,
            metric: 50 if metric != "requests_per_target" else 500,
        }
        spec |= {
            "autoscaling": scaling,
            "readonly_root_filesystem": False,
            "user": None,
            "accept_express_limits": True,
        }
    else:
        if kind == "web":
            spec["routing"] = {"path": "/" if index == 0 else f"/p{index}"}
            spec["deployment"] = draw(st.sampled_from(["rolling", "blue_green", "canary"]))
        if draw(st.booleans()):
            scaling = {"min": 1, "max": draw(st.integers(1, 6)), "cpu": 60}
            if draw(st.booleans()):
                scaling["memory"] = 70
            if kind == "web" and draw(st.booleans()):
                scaling["requests_per_target"] = 300
            spec["autoscaling"] = scaling
    uses = draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []
    if uses:
        spec["uses"] = uses
    if draw(st.booleans()):
        spec["environments"] = {environment: {"count": draw(st.integers(1, 4))}}
    return spec


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    envs = draw(environments())
    last = list(envs)[-1]
    data = draw(st.lists(st.sampled_from(DATA_NAMES), max_size=4, unique=True))
    tables = [name for name in data if name in {"users", "orders", "audit-log"}]
    document: dict[str, Any] = {"name": "prop", "environments": envs, "services": {}}
    if tables:
        document["tables"] = {
            name: {
                "partition_key": {"name": "id", "type": draw(st.sampled_from(["S", "N"]))},
                **({"sort_key": "at"} if draw(st.booleans()) else {}),
                **({"ttl_attribute": "expires"} if draw(st.booleans()) else {}),
                **({"billing": "provisioned"} if draw(st.booleans()) else {}),
            }
            for name in tables
        }
    if "session" in data:
        document["caches"] = {
            "session": {
                "replicas": draw(st.integers(0, 2)),
                "environments": {"prod": {"replicas": 1}},
            }
        }
    if "imports" in data:
        loader = {"loader": {"table": tables[0]}} if tables else {}
        document["buckets"] = {"imports": {**loader, "versioned": draw(st.booleans())}}
    if "jwt-key" in data:
        document["secrets"] = {
            "jwt-key": draw(
                st.sampled_from(
                    [
                        {"generate": {"length": 32}},
                        {"generate": {"length": 48, "rotation_days": 30}},
                        {"existing": "prod/jwt"},
                    ]
                )
            )
        }
    names = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=3, unique=True))
    for index, name in enumerate(names):
        others = list(names[:index]) + data
        document["services"][name] = draw(service(index, others, last))
    return document


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(document=manifests())
def test_a_manifest_that_validates_synthesizes(document: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(document, indent=1)  # JSON is YAML
    note(text)
    try:
        manifest = manifest_from(parse_yaml(text, tmp_path / "shipway.yml"))
    except ManifestError as error:
        note(str(error))
        assume(False)
    out = tmp_path / f"cdk.out-{abs(hash(text))}"
    result = synthesize(manifest, manifest.environment_names, outdir=out)
    assert [stack.environment for stack in result.stacks] == manifest.environment_names
    assert result.nag == [], [str(finding) for finding in result.nag]

"""Decisions made before anything starts (src/shipway/dev/plan.py)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest

from shipway.dev.errors import DevConfigurationError, PortTakenError, SeedError
from shipway.dev.plan import health_gate, plan_dev
from shipway.dev.processes import HealthGate

if TYPE_CHECKING:
    from tests.dev.conftest import WriteManifest


def test_plan_orders_services_and_gives_each_a_free_port(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        services:
          web: {image: {build: {context: .}}, uses: [api]}
          api: {type: backend, image: {build: {context: .}}, local: {command: [python, x]}}
    """)
    plan = plan_dev(manifest)
    assert plan.waves == [["api"], ["web"]]
    assert plan.services["web"].port != plan.services["api"].port
    assert plan.environment.services["api"].physical_name == "devtest-dev-api"


def test_a_fixed_port_in_use_is_a_user_error(write_manifest: WriteManifest) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        manifest = write_manifest(f"""
            services:
              web: {{image: {{build: {{context: .}}}}, local: {{command: x, port: {port}}}}}
        """)
        with pytest.raises(PortTakenError, match=f"port {port} \\(local.port\\) is already in use"):
            plan_dev(manifest)


def test_a_missing_seed_file_is_a_user_error(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        tables: {items: {partition_key: id}}
        buckets: {items-import: {loader: {table: items}}}
        seed: [{bucket: items-import, file: data/absent.json}]
    """)
    with pytest.raises(SeedError, match="seed file data/absent.json"):
        plan_dev(manifest)


def test_a_cycle_between_services_is_a_user_error(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        services:
          a: {type: backend, image: {build: {context: .}}, uses: [b]}
          b: {type: backend, image: {build: {context: .}}, uses: [a]}
    """)
    with pytest.raises(DevConfigurationError, match="cycle"):
        plan_dev(manifest)


def test_health_gate_uses_an_explicit_grace_period(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        services:
          a: {image: {build: {context: .}}, health_check: {path: /ok, grace_period: 3}}
          b: {type: backend, image: {build: {context: .}}}
    """)
    services = manifest.application.services
    assert health_gate(services["a"]) == HealthGate("/ok", "200", 3.0)
    assert health_gate(services["b"]).deadline_seconds == 30.0


def test_healthy_codes() -> None:
    gate = HealthGate("/health", "200-299,304", 1)
    assert [gate.accepts(code) for code in (200, 204, 299, 304, 300, 503)] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]

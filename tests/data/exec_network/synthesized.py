"""The exec and network manifest, synthesized once per test process for test and prod.

tests/ecs_exec and tests/network share it, so every assertion looks at the output the gates
check.
"""

from __future__ import annotations

from tests.data.acceptance import SynthesizedManifest

ENVIRONMENTS = ("test", "prod")
_EXEC_NETWORK = SynthesizedManifest("exec_network")

exec_network_synth = _EXEC_NETWORK.result
resources = _EXEC_NETWORK.resources
logical_id = _EXEC_NETWORK.logical_id
properties = _EXEC_NETWORK.properties
container = _EXEC_NETWORK.container

__all__ = [
    "ENVIRONMENTS",
    "container",
    "exec_network_synth",
    "logical_id",
    "properties",
    "resources",
]

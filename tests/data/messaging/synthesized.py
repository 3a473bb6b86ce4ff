"""The messaging manifest, synthesized once per test process for test and prod.

Test folders (queue, topic, service) share it, so every assertion looks at the output the
gates check.
"""

from __future__ import annotations

from tests.data.acceptance import SynthesizedManifest

ENVIRONMENTS = ("test", "prod")
_MESSAGING = SynthesizedManifest("messaging")

messaging_synth = _MESSAGING.result
template = _MESSAGING.template
resources = _MESSAGING.resources
logical_id = _MESSAGING.logical_id
properties = _MESSAGING.properties
container = _MESSAGING.container
variables = _MESSAGING.environment_of
policy_statements = _MESSAGING.role_statements
alarms = _MESSAGING.alarms

__all__ = [
    "ENVIRONMENTS",
    "alarms",
    "container",
    "logical_id",
    "messaging_synth",
    "policy_statements",
    "properties",
    "resources",
    "template",
    "variables",
]

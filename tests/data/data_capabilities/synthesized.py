"""The data-capabilities manifest, synthesized once per test process for test and prod.

Test folders share it through `tests.data.data_capabilities.synthesized` (one synth however
many folders ask), so every assertion looks at the same output the gates check.
"""

from __future__ import annotations

from tests.data.acceptance import SynthesizedManifest, actions

ENVIRONMENTS = ("test", "prod")
_DATA = SynthesizedManifest("data_capabilities")

data_manifest = _DATA.manifest
data_synth = _DATA.result
data_template = _DATA.template
resources = _DATA.resources
resource = _DATA.resource
logical_id = _DATA.logical_id
container = _DATA.container
environment_of = _DATA.environment_of
secrets_of = _DATA.secrets_of
role_statements = _DATA.role_statements
alarms = _DATA.alarms

__all__ = [
    "ENVIRONMENTS",
    "actions",
    "alarms",
    "container",
    "data_manifest",
    "data_synth",
    "data_template",
    "environment_of",
    "logical_id",
    "resource",
    "resources",
    "role_statements",
    "secrets_of",
]

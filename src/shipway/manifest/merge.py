"""The one way an environment's values apply to a section entry, for every section.

Modelled on AWS Copilot's `applyEnv`: the environment's override is merged into what the entry
says for all environments, as written in YAML, before anything is validated:
- a mapping merges key by key, recursively (`autoscaling: {min: 3}` keeps the entry's `max`);
- a list replaces the entry's list whole (`uses`, `indexes`, `availability_zones`);
- any other value replaces the entry's value;
- an explicit `null` replaces too: it turns an optional setting off (`autoscaling: null`,
  `generate: null`) or, for a setting that cannot be empty, is an error in that environment.
The merged mapping is then validated as the section's spec, so an environment is checked
exactly as if its values had been written in the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OVERRIDES_KEY = "environments"


def apply_environment(entry: Mapping[str, Any], environment: str) -> dict[str, Any]:
    """entry's values with the override for environment (if any) merged in."""
    base = {key: value for key, value in entry.items() if key != OVERRIDES_KEY}
    return merge(base, override_of(entry, environment))


def override_of(entry: Mapping[str, Any], environment: str) -> Mapping[str, Any]:
    """What entry's `environments.<environment>` says, or nothing."""
    overrides = entry.get(OVERRIDES_KEY)
    if not isinstance(overrides, Mapping):
        return {}
    override = overrides.get(environment)
    return override if isinstance(override, Mapping) else {}


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """override over base: mappings recursively, everything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = merge(current, value)
        else:
            merged[key] = value
    return merged

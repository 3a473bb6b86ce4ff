"""Turning a problem at a place in the manifest into a `file:line:column` issue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shipway.manifest.errors import ManifestIssue
from shipway.manifest.pydantic_errors import issues_from
from shipway.manifest.yaml_source import YamlDocument

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic import BaseModel, ValidationError

    from shipway.manifest.yaml_source import Location


@dataclass(frozen=True)
class Locator:
    """A parsed manifest's data and where each part of it was written."""

    document: YamlDocument

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def data(self) -> Any:
        return self.document.data

    def issue(self, where: Location, message: str, *, at_key: bool = False) -> ManifestIssue:
        """An issue at where: at its key, or at its value."""
        positions = self.document.positions
        line, column = positions.of_key(where) if at_key else positions.of_value(where)
        return ManifestIssue(self.path, line, column, ".".join(map(str, where)), message)

    def errors(self, error: ValidationError, model: type[BaseModel]) -> list[ManifestIssue]:
        """Issues for pydantic's errors about the whole document."""
        issues = issues_from(
            error, file=self.path, positions=self.document.positions, model=model, data=self.data
        )
        unique: dict[str, ManifestIssue] = {}
        for issue in issues:  # a union reports once per member; keep the first
            unique.setdefault(issue.path, issue)
        return list(unique.values())

    def override_issues(
        self,
        error: ValidationError,
        *,
        section: str,
        name: str,
        environment: str,
        model: type[BaseModel],
        merged: Mapping[str, Any],
        override: Mapping[str, Any],
    ) -> list[ManifestIssue]:
        """Issues for an entry merged for one environment, each at the value that caused it:
        the environment's override where it wrote the value, else the entry itself."""
        entry: Location = (section, name)
        in_override: Location = (*entry, "environments", environment)

        def relocate(location: Location) -> Location:
            relative = location[len(entry) :]
            return (*in_override, *relative) if _written(override, relative) else location

        issues = issues_from(
            error,
            file=self.path,
            positions=self.document.positions,
            model=model,
            base=entry,
            data=dict(merged),
            relocate=relocate,
        )
        return [
            ManifestIssue(
                issue.file,
                issue.line,
                issue.column,
                issue.path,
                f"{issue.message} (in environment '{environment}')",
            )
            for issue in issues
        ]


def _written(override: Mapping[str, Any], relative: Location) -> bool:
    """True when the override wrote the value at relative (or the mapping holding it)."""
    node: Any = override
    for depth, part in enumerate(relative):
        if not isinstance(node, Mapping) or part not in node:
            return depth > 0  # inside a mapping the override wrote: that mapping is the cause
        node = node[part]
    return bool(relative)

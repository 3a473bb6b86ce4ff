"""Manifest problems, each located at a file, line and column, and worded for the user."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class ManifestIssue:
    """One thing wrong with a manifest, at one place."""

    file: Path
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ManifestError(Exception):
    """A manifest that cannot be used; carries every issue found, in file order."""

    def __init__(self, issues: Iterable[ManifestIssue]) -> None:
        self.issues = sorted(issues, key=lambda issue: (issue.line, issue.column))
        super().__init__("\n".join(str(issue) for issue in self.issues))


def did_you_mean(word: str, allowed: Iterable[str]) -> str:
    """A ``did you mean`` hint for a misspelt key, or an empty string."""
    matches = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""

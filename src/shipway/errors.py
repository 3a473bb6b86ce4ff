"""Errors a user can cause: the CLI prints their message on one line and exits with status 2."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a bad flag, a missing tool, a missing credential."""


class MissingToolError(UserError):
    """A program shipway needs (Node, the CDK CLI, ...) is not installed."""


class GateFailedError(Exception):
    """A compliance gate found problems; the CLI exits with status 1."""

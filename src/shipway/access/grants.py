"""Temporary read-only access for reviewers: what an `access:` entry means, named once.

Each entry becomes an IAM role `<app>-<env>-review-<name>` in the environment's account that
the entry's principal may assume until the end of its `expires` day (UTC). Nothing else is
created: no IAM user, no access key. Its name and ARN follow from the manifest alone, so
`shipway access` prints them without asking AWS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from shipway.manifest.environment import AccessGrant, Environment

ROLE_NAME_LIMIT = 64
SESSION_SECONDS = 3600


@dataclass(frozen=True)
class ReviewerRole:
    """One grant as the role it becomes."""

    name: str
    """The entry's name (from the manifest, or made from its principal)."""
    principal: str
    expires: date
    role_name: str
    account: str

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account}:role/{self.role_name}"

    @property
    def not_after(self) -> str:
        """The last moment the role can be assumed, as IAM's aws:CurrentTime compares it."""
        end = datetime.combine(self.expires, time(23, 59, 59), tzinfo=UTC)
        return end.strftime("%Y-%m-%dT%H:%M:%SZ")

    def expired(self, today: date) -> bool:
        return today > self.expires

    @property
    def switch_role_url(self) -> str:
        """The console's switch-role page, filled in."""
        query = urlencode(
            {"roleName": self.role_name, "account": self.account, "displayName": self.role_name}
        )
        return f"https://signin.aws.amazon.com/switchrole?{query}"


def default_name(principal: str) -> str:
    """`123456789012` -> `acct-123456789012`; a role or user ARN -> its last name."""
    if principal.isdigit():
        return f"acct-{principal}"
    return principal.rsplit("/", 1)[-1]


def reviewer_roles(
    app: str, environment: str, account: str, grants: list[AccessGrant]
) -> list[ReviewerRole]:
    """Each grant's role, in manifest order."""
    roles = []
    for grant in grants:
        name = grant.name or default_name(grant.principal)
        role_name = re.sub(r"[^\w+=,.@-]", "-", f"{app}-{environment}-review-{name}")
        roles.append(
            ReviewerRole(
                name=name,
                principal=grant.principal,
                expires=grant.expires,
                role_name=role_name[:ROLE_NAME_LIMIT],
                account=account,
            )
        )
    return roles


def today() -> date:
    return datetime.now(UTC).date()


def expired_access_warnings(
    app: str, environment: str, settings: Environment, on: date
) -> list[str]:
    """A warning per entry past its expiry. A warning, not an error: the role already refuses
    to be assumed, and a manifest valid yesterday must not stop a deploy today by itself."""
    return [
        f"{environment}: access for {role.principal} ({role.role_name}) expired on "
        f"{role.expires.isoformat()}: it can no longer be assumed; remove the entry from "
        f"environments.{environment}.access to delete the role"
        for role in reviewer_roles(app, environment, settings.account, settings.access)
        if role.expired(on)
    ]

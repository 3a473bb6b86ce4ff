"""boto3 clients for one environment's account and region.

The endpoint follows boto3's own settings (AWS_ENDPOINT_URL and the per-service variables), which
is how the tests point these commands at a moto server.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import boto3

from shipway.errors import UserError


@dataclass
class Clients:
    region: str
    _clients: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def session(self) -> Any:
        session = boto3.session.Session(region_name=self.region)
        if session.get_credentials() is None:
            raise UserError(
                "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or run 'aws sso login'"
            )
        return session

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service)
        return self._clients[service]

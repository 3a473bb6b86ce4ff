"""Send seed 002's boto3 to the benchmark's moto server, leaving its app.py as published.

Its Pipfile.lock pins boto3 1.26.125, which predates boto3 reading AWS_ENDPOINT_URL (1.28), so
without this it would call the real DynamoDB. benchmarks/peers.py puts this folder on the peer's
PYTHONPATH; Python imports sitecustomize at start-up, before gunicorn loads app.py. Only the
endpoint changes: the same thing a newer boto3 does with AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import os
from typing import Any

import boto3.session

_published_resource = boto3.session.Session.resource


def _resource_at_moto(self: boto3.session.Session, *args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("endpoint_url", os.environ["AWS_ENDPOINT_URL"])
    return _published_resource(self, *args, **kwargs)


boto3.session.Session.resource = _resource_at_moto  # type: ignore[method-assign]

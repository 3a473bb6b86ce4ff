"""Count the AWS calls an application's boto3 client makes, e.g. to show reads being shared."""

from __future__ import annotations

from typing import Any


def recorded_calls(client: Any, operation: str) -> list[dict[str, Any]]:
    """A list that gains the parameters of each ``operation`` call ``client`` makes from now on."""
    calls: list[dict[str, Any]] = []
    service = client.meta.service_model.service_name

    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append(params)

    client.meta.events.register(f"provide-client-params.{service}.{operation}", record)
    return calls

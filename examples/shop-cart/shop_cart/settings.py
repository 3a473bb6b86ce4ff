"""The cart service's configuration, read from environment variables."""

from __future__ import annotations

from pydantic import Field
from service_runtime import ServiceSettings

SERVICE = "cart"
VERSION = "1.0.0"
SEVEN_DAYS = 7 * 24 * 3600


class CartSettings(ServiceSettings):
    """Environment of the cart service."""

    table_carts: str = Field(
        min_length=3,
        max_length=255,
        description=("DynamoDB table of carts (partition key `id`, TTL attribute `expires_at`)."),
    )
    topic_orders_arn: str | None = Field(
        None,
        min_length=1,
        description="SNS topic checkout publishes placed orders to (without it: checkout 503).",
    )
    cart_ttl_seconds: int = Field(
        SEVEN_DAYS,
        ge=60,
        le=366 * 24 * 3600,
        description="A cart expires this long after its last write.",
    )


def get_settings() -> CartSettings:
    """Read the cart service's settings from the environment."""
    return CartSettings()

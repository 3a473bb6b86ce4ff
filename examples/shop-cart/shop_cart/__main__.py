"""``python -m shop_cart``: serve the cart API on $PORT (default 8080)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import run_service

from shop_cart.settings import SERVICE, VERSION, CartSettings

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Parse --help, validate the environment, serve until SIGTERM."""
    run_service(
        service=SERVICE,
        settings_class=CartSettings,
        target="shop_cart.app:create_app",
        version=VERSION,
        argv=argv,
        description="Shopping cart REST API on DynamoDB.",
    )


if __name__ == "__main__":
    main()

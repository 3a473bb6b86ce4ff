"""A shopping cart REST API on DynamoDB, with optimistic concurrency and TTL expiry."""

from shop_cart.app import create_app
from shop_cart.settings import CartSettings, get_settings

__all__ = ["CartSettings", "create_app", "get_settings"]

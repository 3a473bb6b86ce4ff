"""The three-tier example's public web tier: an HTML page of the api's items."""

from three_tier_web.app import create_app
from three_tier_web.settings import WebSettings, get_settings

__all__ = ["WebSettings", "create_app", "get_settings"]

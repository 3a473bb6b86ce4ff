"""The three-tier example's private api: items in a DynamoDB table, as JSON."""

from three_tier_api.app import create_app
from three_tier_api.settings import ApiSettings, get_settings

__all__ = ["ApiSettings", "create_app", "get_settings"]

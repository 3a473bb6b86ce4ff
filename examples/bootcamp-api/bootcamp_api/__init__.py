"""bootcamp-api: log in for a JWT, then convert between CIDR prefixes and netmasks."""

__version__ = "1.0.0"
SERVICE = "api"

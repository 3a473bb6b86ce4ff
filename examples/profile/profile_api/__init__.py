"""profile: a JSON profile card served over HTTP, the smallest shipway example."""

__version__ = "1.0.0"
SERVICE = "profile"

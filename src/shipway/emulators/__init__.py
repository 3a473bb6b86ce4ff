"""Local stand-ins for AWS and ElastiCache, each a real server in its own process."""

from shipway.emulators.moto_server import MotoServer
from shipway.emulators.ports import free_port, wait_for_port
from shipway.emulators.redis_server import RedisServer

__all__ = ["MotoServer", "RedisServer", "free_port", "wait_for_port"]

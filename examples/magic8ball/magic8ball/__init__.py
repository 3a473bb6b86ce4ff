"""magic8ball: a Magic 8-Ball over HTTP, with a FizzBuzz writer that shares a counter in Redis."""

__version__ = "1.0.0"
SERVICE = "magic8ball"

"""JSON logs: one object per line on stdout, stamped with the current request id."""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

SERVICE = "magic8ball"
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object with timestamp, level, message and extras."""

    def __init__(self, service: str = SERVICE) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": self.service,
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def logging_config(level: str) -> dict[str, Any]:
    """A dictConfig sending every logger (ours and the server's) through JsonFormatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stdout"}},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in (
                "_granian", "granian.access", "uvicorn", "uvicorn.error", "uvicorn.access")},
            # Chatty at INFO ("Found credentials in environment variables") on every start.
            **{name: {"level": "WARNING"} for name in ("botocore", "boto3", "urllib3")},
        },
    }


def configure_logging(level: str) -> None:
    """Install the JSON handler on the root logger of this process."""
    logging.config.dictConfig(logging_config(level))

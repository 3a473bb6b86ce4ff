"""One JSON object per log line on stdout, carrying the service and the current request id."""

from __future__ import annotations

import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

import orjson

from service_runtime.request_id import current_request_id

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged as a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
}
# The servers' own loggers go through the root handler, so they are JSON too.
_SERVER_LOGGERS = ("_granian", "granian.access")
# Chatty at INFO ("Found credentials in environment variables") on every start.
_QUIET_LOGGERS = ("botocore", "boto3", "urllib3")


class JsonFormatter(logging.Formatter):
    """Format a record as a single-line JSON object."""

    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self.service is not None:
            entry["service"] = self.service
        request_id = current_request_id()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update((k, v) for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def logging_config(level: str, service: str | None = None) -> dict[str, Any]:
    """A ``dictConfig`` sending the app's and the server's logs to stdout as JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "service": service}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in _SERVER_LOGGERS},
            **{name: {"level": "WARNING"} for name in _QUIET_LOGGERS},
        },
        "root": {"handlers": ["stdout"], "level": level.upper()},
    }


def configure_logging(level: str, service: str | None = None) -> None:
    """Install the JSON logging configuration for this process."""
    logging.config.dictConfig(logging_config(level, service))

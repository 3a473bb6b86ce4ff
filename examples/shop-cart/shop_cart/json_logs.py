"""One JSON object per log line on stdout, carrying the current request id."""

from __future__ import annotations

import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

import orjson

from shop_cart.request_context import current_request_id

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged as a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
}


class JsonFormatter(logging.Formatter):
    """Format a record as a single-line JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        timestamp = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, Any] = {
            "timestamp": timestamp.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update((k, v) for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def logging_config(level: str) -> dict[str, Any]:
    """A ``dictConfig`` sending the app's and the server's logs to stdout as JSON."""
    server_loggers = ("_granian", "granian.access", "uvicorn", "uvicorn.error", "uvicorn.access")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json",
                       "stream": "ext://sys.stdout"},
        },
        "loggers": {name: {"handlers": [], "propagate": True} for name in server_loggers},
        "root": {"handlers": ["stdout"], "level": level.upper()},
    }


def configure_logging(level: str) -> None:
    """Install the JSON logging configuration for this process."""
    logging.config.dictConfig(logging_config(level))

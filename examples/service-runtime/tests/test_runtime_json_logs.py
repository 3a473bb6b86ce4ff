"""JSON log lines: one object a line, the request id and extras as fields, one timestamp format."""

from __future__ import annotations

import io
import logging
import re
import sys
from datetime import datetime, timedelta

import orjson
from service_runtime import AccessLog, JsonFormatter, logging_config
from service_runtime.request_id import bind_request_id, unbind_request_id


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {
            "name": "app.test",
            "levelname": "WARNING",
            "levelno": logging.WARNING,
            "msg": message,
            **extra,
        }
    )


def test_formatter_writes_one_json_object_with_the_request_id_and_extras() -> None:
    token = bind_request_id("req-1")
    try:
        line = JsonFormatter(service="profile").format(
            record("disk %s", args=("full",), table="users")
        )
    finally:
        unbind_request_id(token)

    entry = orjson.loads(line)
    assert "\n" not in line
    assert entry | {"timestamp": None} == {
        "timestamp": None,
        "level": "WARNING",
        "logger": "app.test",
        "message": "disk full",
        "service": "profile",
        "request_id": "req-1",
        "table": "users",
    }


def test_formatter_includes_the_traceback_and_no_request_id_outside_a_request() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        entry = orjson.loads(JsonFormatter().format(record("failed", exc_info=sys.exc_info())))

    assert "ValueError: boom" in entry["exception"]
    assert "request_id" not in entry and "service" not in entry


def test_access_lines_and_log_records_share_one_timestamp_format() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="s", stream=stream)
    log.record(request_id="r", method="GET", path="/", status=200, duration_ms=0.1)
    log.flush()
    formatted = orjson.loads(JsonFormatter().format(record("x")))["timestamp"]

    access = orjson.loads(stream.getvalue())["timestamp"]
    pattern = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00"
    assert re.fullmatch(pattern, access) and re.fullmatch(pattern, formatted)
    assert abs(datetime.fromisoformat(access) - datetime.fromisoformat(formatted)) < timedelta(
        seconds=5
    )


def test_logging_config_sends_the_server_through_json_and_quiets_boto() -> None:
    config = logging_config("info", "svc")

    assert config["root"] == {"handlers": ["stdout"], "level": "INFO"}
    assert config["formatters"]["json"] == {"()": JsonFormatter, "service": "svc"}
    assert config["loggers"]["_granian"] == {"handlers": [], "propagate": True}
    assert config["loggers"]["botocore"] == {"level": "WARNING"}

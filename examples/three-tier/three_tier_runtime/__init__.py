"""What every three-tier service process shares: JSON logs, request ids, settings, the server."""

from three_tier_runtime.json_logs import configure_logging, logging_config
from three_tier_runtime.request_context import (
    REQUEST_ID_HEADER,
    RequestContextMiddleware,
    current_request_id,
)
from three_tier_runtime.responses import OrjsonResponse, error_response
from three_tier_runtime.server import run_server
from three_tier_runtime.settings import ServiceSettings
from three_tier_runtime.shared_reads import SharedReads

__all__ = [
    "REQUEST_ID_HEADER",
    "OrjsonResponse",
    "RequestContextMiddleware",
    "ServiceSettings",
    "SharedReads",
    "configure_logging",
    "current_request_id",
    "error_response",
    "logging_config",
    "run_server",
]

"""What every example service shares, so each example holds only what makes it itself.

Request ids, JSON logs and a batched access log, security headers, limited bodies, one route
per path, settings and ``--help`` from the environment, granian with timeouts, shared reads.
"""

from service_runtime.access_log import AccessLog, flushing
from service_runtime.app import service_app
from service_runtime.bodies import BodyTooLargeError, read_body
from service_runtime.command_line import run_service
from service_runtime.errors import http_error, http_error_message, message_internal_error
from service_runtime.json_logs import JsonFormatter, configure_logging, logging_config
from service_runtime.middleware import RequestContextMiddleware, json_internal_error
from service_runtime.openapi import OPENAPI_PATH_ITEM, json_content, operation
from service_runtime.request_id import REQUEST_ID_HEADER, current_request_id
from service_runtime.responses import OrjsonResponse, PreRenderedJson, error_response
from service_runtime.routing import path_route
from service_runtime.security_headers import HTML_PAGE_POLICY, SECURITY_HEADERS
from service_runtime.server import serve
from service_runtime.settings import ServiceSettings, environment_help
from service_runtime.shared_reads import SharedReads

__all__ = [
    "HTML_PAGE_POLICY",
    "OPENAPI_PATH_ITEM",
    "REQUEST_ID_HEADER",
    "SECURITY_HEADERS",
    "AccessLog",
    "BodyTooLargeError",
    "JsonFormatter",
    "OrjsonResponse",
    "PreRenderedJson",
    "RequestContextMiddleware",
    "ServiceSettings",
    "SharedReads",
    "configure_logging",
    "current_request_id",
    "environment_help",
    "error_response",
    "flushing",
    "http_error",
    "http_error_message",
    "json_content",
    "json_internal_error",
    "logging_config",
    "message_internal_error",
    "operation",
    "path_route",
    "read_body",
    "run_service",
    "serve",
    "service_app",
]

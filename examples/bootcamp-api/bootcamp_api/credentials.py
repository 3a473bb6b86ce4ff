"""Reading username and password from a login request: a form, or a JSON object."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import orjson
from service_runtime import BodyTooLargeError, read_body
from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from starlette.requests import Request

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_BODY_BYTES = 16 * 1024
MAX_USERNAME = 128
MAX_PASSWORD = 1024
FIELDS = ("username", "password")


async def read_credentials(request: Request) -> tuple[str, str]:
    """(username, password) from the body; HTTPException 400/413/415 for anything else."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in (FORM, JSON):
        raise HTTPException(415, f"send the credentials as {FORM} or {JSON}")
    body = await read_limited(request)
    fields = parse_form(body) if media_type == FORM else parse_json(body)
    return validated(fields)


async def read_limited(request: Request) -> bytes:
    """The request body, refusing more than MAX_BODY_BYTES."""
    try:
        return await read_body(request, MAX_BODY_BYTES)
    except BodyTooLargeError as error:
        raise HTTPException(413, str(error)) from None


def parse_form(body: bytes) -> dict[str, object]:
    """The first value of each form field."""
    try:
        parsed = parse_qs(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=16, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(
            400, "the form is not valid UTF-8 application/x-www-form-urlencoded"
        ) from None
    return {name: values[0] for name, values in parsed.items()}


def parse_json(body: bytes) -> dict[str, object]:
    """The JSON object in the body."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise HTTPException(400, "the body is not valid JSON") from None
    if not isinstance(document, dict):
        raise HTTPException(400, "the JSON body must be an object")
    return document


def validated(fields: dict[str, object]) -> tuple[str, str]:
    """Both fields present, strings, non-empty and of sensible length."""
    missing = [name for name in FIELDS if fields.get(name) in (None, "")]
    if missing:
        raise HTTPException(400, f"missing field: {', '.join(missing)}")
    username, password = fields["username"], fields["password"]
    if not isinstance(username, str) or not isinstance(password, str):
        raise HTTPException(400, "username and password must be strings")
    if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
        raise HTTPException(
            400, f"username is limited to {MAX_USERNAME} characters and password to {MAX_PASSWORD}"
        )
    return username, password

"""Response headers every answer carries unless the endpoint chose its own value.

A JSON API is never meant to be framed, sniffed as HTML or to leak its URLs in Referer; an HTML
page sets its own Content-Security-Policy (see ``HTML_PAGE_POLICY``), which then wins.
"""

from __future__ import annotations

from types import MappingProxyType

SECURITY_HEADERS = MappingProxyType(
    {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    }
)
# For a page with its styles inline and nothing else: no scripts, images, frames or forms.
HTML_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def encoded(headers: dict[str, str] | MappingProxyType[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as ASGI wants them: lower-case names, latin-1 bytes."""
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]

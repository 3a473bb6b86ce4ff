"""The HTML pages: the items table, and the page shown while the api is unavailable."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Iterator

    from three_tier_web.items_api import Listing

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888; padding: .3rem .6rem; text-align: left; vertical-align: top; }
tbody + tbody { border-top: 3px solid #444; }
"""


def _document(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


def _text(value: Any) -> str:
    """An attribute value as page text: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _attributes(item: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The item's attributes, ``key`` first and then by name."""
    if "key" in item:
        yield "key", item["key"]
    yield from sorted((name, value) for name, value in item.items() if name != "key")


def _item_rows(items: list[dict[str, Any]]) -> Iterator[str]:
    count = 0
    for item in sorted(items, key=lambda item: _text(item.get("key", ""))):
        rows = []
        for name, value in _attributes(item):
            count += 1
            rows.append(
                f"<tr><td>{count}</td><td>{escape(name)}</td><td>{escape(_text(value))}</td></tr>\n"
            )
        yield "<tbody>\n" + "".join(rows) + "</tbody>\n"


def render_listing(listing: Listing) -> str:
    """The table's items, one row per attribute, every value escaped."""
    note = f" (the first {len(listing.items)})" if listing.truncated else ""
    body = (
        f"<h1>{escape(listing.table)}</h1>\n<p>{len(listing.items)} items{note}</p>\n"
        "<table>\n<thead><tr><th>count</th><th>key</th><th>value</th></tr></thead>\n"
        + "".join(_item_rows(listing.items))
        + "</table>\n"
    )
    return _document(listing.table, body)


def render_unavailable(request_id: str | None) -> str:
    """The page shown when the api cannot be reached."""
    reference = f"<p>Reference: <code>{escape(request_id)}</code></p>\n" if request_id else ""
    return _document(
        "Service unavailable",
        "<h1>Service unavailable</h1>\n"
        "<p>The items cannot be loaded right now. Please retry in a moment.</p>\n" + reference,
    )

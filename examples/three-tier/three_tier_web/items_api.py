"""The web tier's client of the api: the table's name and its items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson
from service_runtime import REQUEST_ID_HEADER, current_request_id

if TYPE_CHECKING:
    from collections.abc import Mapping

PAGE_SIZE = 100  # the api's largest page


class ApiUnavailableError(Exception):
    """The api could not be reached, or answered with something other than what it promises."""


@dataclass(frozen=True)
class Listing:
    """What the page shows: the table's name and its items (``truncated`` when capped)."""

    table: str
    items: list[dict[str, Any]]
    truncated: bool


class ItemsApi:
    """Reads from the api over one shared HTTP client."""

    def __init__(self, client: httpx.AsyncClient, *, max_items: int) -> None:
        self._client = client
        self._max_items = max_items

    async def listing(self) -> Listing:
        """The table's name and up to ``max_items`` items, following the api's cursors."""
        meta = await self._get_json("/meta", {})
        if not isinstance(meta, dict) or not isinstance(meta.get("table"), str):
            raise ApiUnavailableError("api's /meta answered without a table name")
        items, cursor = await self._first_items()
        while cursor is not None and len(items) < self._max_items:
            page_items, cursor = await self._page({"limit": PAGE_SIZE, "cursor": cursor})
            items.extend(page_items)
        truncated = cursor is not None or len(items) > self._max_items
        return Listing(meta["table"], items[: self._max_items], truncated)

    async def _first_items(self) -> tuple[list[dict[str, Any]], str | None]:
        return await self._page({"limit": min(PAGE_SIZE, self._max_items)})

    async def _page(self, params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
        page = await self._get_json("/items", params)
        items = page.get("items") if isinstance(page, dict) else None
        cursor = page.get("next_cursor") if isinstance(page, dict) else None
        if (
            not isinstance(items, list)
            or not all(isinstance(item, dict) for item in items)
            or not isinstance(cursor, str | None)
        ):
            raise ApiUnavailableError("api's /items answered with an unexpected body")
        return items, cursor

    async def _get_json(self, path: str, params: Mapping[str, Any]) -> Any:
        request_id = current_request_id()
        headers = {REQUEST_ID_HEADER: request_id} if request_id else {}
        try:
            response = await self._client.get(path, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise ApiUnavailableError(f"GET {path} failed: {error!r}") from error
        if response.status_code != 200:
            raise ApiUnavailableError(f"GET {path} answered {response.status_code}")
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as error:
            raise ApiUnavailableError(f"GET {path} answered with invalid JSON") from error

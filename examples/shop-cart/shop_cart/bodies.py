"""Request bodies and path parameters, validated strictly (no bools or floats as integers)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from shop_cart.cart import LineItem

MAX_BODY_BYTES = 16 * 1024
MAX_UNIT_PRICE_CENTS = 100_000_000  # one million in the currency's main unit
SKU_RULE = "sku must be 1 to 64 letters, digits, '.', '_' or '-', starting alphanumeric"
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CART_ID = re.compile(r"[0-9a-f]{32}")


class InvalidRequestError(ValueError):
    """The request breaks the contract; ``errors`` says where and how."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(error["msg"] for error in errors))
        self.errors = errors


def _whole_number(value: object) -> object:
    """2.0 is the number 2 (JSON has one number type); 2.5, true and "2" stay refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


class LineItemBody(BaseModel):
    """Body of PUT /carts/{id}/items/{sku}."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    quantity: WholeNumber = Field(ge=1, le=999, description="how many, 1 to 999")
    unit_price_cents: WholeNumber = Field(
        ge=0, le=MAX_UNIT_PRICE_CENTS, description="price of one, in integer cents"
    )


def line_item(body: bytes) -> LineItem:
    """The line item a JSON body describes; raise InvalidRequestError listing every problem."""
    try:
        parsed = LineItemBody.model_validate_json(body)
    except ValidationError as error:
        raise InvalidRequestError(
            [
                {"loc": ["body", *problem["loc"]], "msg": problem["msg"], "type": problem["type"]}
                for problem in error.errors(
                    include_url=False, include_context=False, include_input=False
                )
            ]
        ) from None
    return LineItem(parsed.quantity, parsed.unit_price_cents)


def sku(value: str) -> str:
    """A SKU from the path: 1 to 64 letters, digits, '.', '_' or '-', starting alphanumeric."""
    if not _SKU.fullmatch(value):
        raise InvalidRequestError(
            [
                {
                    "loc": ["path", "sku"],
                    "type": "string_pattern_mismatch",
                    "msg": SKU_RULE,
                }
            ]
        )
    return value


def is_cart_id(value: str) -> bool:
    """True for ids this service hands out (32 lowercase hex digits)."""
    return _CART_ID.fullmatch(value) is not None

"""The base every manifest model shares: unknown keys are errors, values are not coerced loosely."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, create_model

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,27}[a-z0-9]$|^[a-z]$"
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
"""Lower-case letters, digits and hyphens, starting with a letter, at most 29 characters:
short enough for load balancer and target group names, which AWS caps at 32."""


class ManifestModel(BaseModel):
    """Strict, immutable, and forbidding keys the manifest language does not know."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, validate_default=True, populate_by_name=True
    )


def override_model(model: type[BaseModel], name: str) -> Any:
    """A model with every field of model optional: the values one environment changes."""
    fields: dict[str, Any] = {
        field_name: (field.annotation | None, None)  # type: ignore[operator]
        for field_name, field in model.model_fields.items()
    }
    return create_model(
        name, __base__=ManifestModel, __doc__="Values that differ in one environment.", **fields
    )

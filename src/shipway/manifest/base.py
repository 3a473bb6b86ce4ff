"""The base every manifest model shares: unknown keys are errors, values are not coerced loosely."""

from __future__ import annotations

import functools
import types
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator

if TYPE_CHECKING:
    from collections.abc import Callable

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
    """The values one environment may change: every field of model optional, nested ones too.

    An override is merged into the section's own values before anything is validated (see
    `shipway.plan.merge`), so it is only checked for its shape here: keys that exist, values of
    the right kind. Constraints that span fields (min below max, memory that fits cpu) are
    checked on the merged result, where they belong.
    """
    return _partial(model, name)


@functools.cache
def _partial(model: type[BaseModel], name: str | None = None) -> Any:
    fields: dict[str, Any] = {
        field_name: (
            _partial_annotation(field.annotation) | None,
            Field(None, description=field.description),
        )
        for field_name, field in model.model_fields.items()
    }
    # The short forms a model accepts (`partition_key: id`) are accepted in an override too.
    short_forms = {
        f"_before_{key}": _before(decorator.func)
        for key, decorator in model.__pydantic_decorators__.model_validators.items()
        if decorator.info.mode == "before"
    }
    return create_model(
        name or f"{model.__name__}Override",
        __base__=ManifestModel,
        __doc__=f"{(model.__doc__ or '').strip()} (only the values that differ)",
        __validators__=short_forms,
        **fields,
    )


def _before(bound: Callable[[Any], Any]) -> Any:
    """The original model's `mode="before"` validator (bound to it), for the partial model."""

    def apply(cls: type[BaseModel], data: Any) -> Any:
        return bound(data)

    return model_validator(mode="before")(classmethod(apply))  # type: ignore[arg-type]


def _partial_annotation(annotation: Any) -> Any:
    """annotation with each nested model made partial; lists and dicts are replaced whole."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _partial(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = tuple(_partial_annotation(member) for member in get_args(annotation))
        return functools.reduce(lambda left, right: left | right, members)
    return annotation

"""A service's service level objectives: availability and latency, over a rolling window."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from shipway.manifest.base import ManifestModel


class LatencyObjective(ManifestModel):
    """`percent` of requests answered in under `under_ms` milliseconds."""

    percent: float = Field(
        99.0, ge=50, lt=100, description="share of requests that must be fast, e.g. 99"
    )
    under_ms: int = Field(
        300, ge=1, le=60_000, description="milliseconds a fast request takes at most, e.g. 300"
    )

    @property
    def budget(self) -> float:
        """The share of requests allowed to be slow."""
        return round(1 - self.percent / 100, 10)

    @property
    def under_seconds(self) -> float:
        return self.under_ms / 1000


class Slo(ManifestModel):
    """What users of a web service may expect; burn-rate alarms page before it is broken."""

    availability: float | None = Field(
        None,
        ge=50,
        lt=100,
        description="percent of requests answered without a 5xx from the service, e.g. 99.9",
    )
    latency: LatencyObjective | None = Field(
        None, description="{percent: 99, under_ms: 300}: 99% of requests under 300 ms"
    )
    window_days: int = Field(
        30, ge=7, le=90, description="the rolling window the objectives hold over (days)"
    )

    @model_validator(mode="after")
    def _some_objective(self) -> Self:
        if self.availability is None and self.latency is None:
            raise ValueError(
                "give 'availability' (e.g. 99.9), 'latency' ({percent, under_ms}) or both"
            )
        return self

    @property
    def availability_budget(self) -> float | None:
        """The share of requests allowed to fail."""
        if self.availability is None:
            return None
        return round(1 - self.availability / 100, 10)

"""Test support for applications shipway deploys: run a service as its image's CMD would,
hold or count its AWS calls."""

from shipway.testing.gated_proxy import GatedProxy
from shipway.testing.recorded_calls import recorded_calls
from shipway.testing.service_process import ServiceProcess

__all__ = ["GatedProxy", "ServiceProcess", "recorded_calls"]

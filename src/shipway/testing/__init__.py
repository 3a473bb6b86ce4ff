"""Test support for applications shipway deploys: run a service as its image's CMD would."""

from shipway.testing.gated_proxy import GatedProxy
from shipway.testing.service_process import ServiceProcess

__all__ = ["GatedProxy", "ServiceProcess"]

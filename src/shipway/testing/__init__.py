"""Test support for applications shipway deploys: run a service as its image's CMD would,
hold or count its AWS calls, and rehearse a release on this machine (a Docker daemon, a local
registry, moto standing in for CloudFormation, the pinned CDK CLI)."""

from shipway.testing.cdk_rehearsal import CdkRehearsal
from shipway.testing.container import TaskContainer
from shipway.testing.docker_daemon import DockerDaemon
from shipway.testing.gated_proxy import GatedProxy
from shipway.testing.local_registry import LocalRegistry
from shipway.testing.recorded_calls import recorded_calls
from shipway.testing.rehearsal_moto import RehearsalMotoServer
from shipway.testing.service_process import ServiceProcess

__all__ = [
    "CdkRehearsal",
    "DockerDaemon",
    "GatedProxy",
    "LocalRegistry",
    "RehearsalMotoServer",
    "ServiceProcess",
    "TaskContainer",
    "recorded_calls",
]

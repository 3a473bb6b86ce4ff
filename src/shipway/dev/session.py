"""`shipway dev`: emulators, provisioning, loaders, seeds, services in order; then stop it all."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from rich.text import Text

from shipway.dev.container_order import start_order, wait_exited, wait_sidecar_healthy
from shipway.dev.emulators import EmulatorExitedError, Emulators, start_emulators
from shipway.dev.errors import ServiceFailedError, StopRequested
from shipway.dev.health_watch import HealthWatch
from shipway.dev.logs import LogPrinter
from shipway.dev.output import print_emulators, print_failure, print_provisioned, print_ready
from shipway.dev.plan import ENVIRONMENT, DevPlan
from shipway.dev.processes import ServiceProcess, stop_all
from shipway.dev.reaper import Reaper
from shipway.dev.state import write_json
from shipway.manifest.containers import MAIN_CONTAINER
from shipway.service.local import LocalResources, process_environment, service_environment

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from rich.console import Console

    from shipway.dev.loaders import LoaderPoller
    from shipway.dev.provision import Provisioned
    from shipway.dev.sidecars import LocalSidecar
    from shipway.job.local_schedule import JobScheduler
    from shipway.manifest.containers import Condition

STOP_GRACE_SECONDS = 10.0


@contextlib.contextmanager
def stop_signals(stopping: threading.Event) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM only set `stopping`; the session stops in order."""

    def request_stop(signum: int, frame: object) -> None:
        stopping.set()

    previous = {
        number: signal.signal(number, request_stop) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class DevSession:
    """One local run of a manifest, from start to a clean stop."""

    def __init__(
        self,
        plan: DevPlan,
        console: Console,
        errors: Console | None = None,
        *,
        run_jobs: bool = False,
    ) -> None:
        self.plan = plan
        self.run_jobs = run_jobs
        self.scheduler: JobScheduler | None = None
        self.console = console
        self.errors = errors or console
        self.printer = LogPrinter(console, names=plan.services)
        self.stopping = threading.Event()
        self.failure: ServiceFailedError | None = None
        self.emulators: Emulators | None = None
        self.pollers: list[LoaderPoller] = []
        self.services: list[ServiceProcess] = []
        self.sidecars: list[ServiceProcess] = []
        self.reaper = Reaper()  # stops what we started should this process be killed outright
        self._failure_lock = threading.Lock()

    def run(self) -> int:
        """Start, serve until a signal or a failure, stop; 0 on a requested stop, 1 on failure."""
        self.reaper.start()
        with stop_signals(self.stopping):
            try:
                self.start()
                self.stopping.wait()
                self.check()
            except StopRequested:
                pass
            except ServiceFailedError as failure:
                self.fail(failure)
            finally:
                self.stop()
        if isinstance(self.failure, EmulatorExitedError):
            self.errors.print(Text("\n".join(self.failure.last_lines)), soft_wrap=True)
            self.errors.print(Text(self.failure.message, style="bold red"), soft_wrap=True)
            return 1
        if self.failure is not None:
            print_failure(self.errors, self.failure)
            return 1
        return 0

    def start(self) -> None:
        """Everything up to a healthy application and its dev.json."""
        started = time.monotonic()
        plan = self.plan
        with ThreadPoolExecutor(max_workers=1) as pool:
            emulators = pool.submit(
                start_emulators,
                plan.paths.logs,
                with_redis=bool(plan.environment.caches),
                aws_services=plan.aws_services,
                on_spawn=self.reaper.watch,
            )
            # boto3 and the loader runtime take a second to import: meanwhile moto starts.
            from shipway.dev import loads, provision

            if "sqs" in plan.aws_services:  # a loader will run
                importlib.import_module("shipway.loader")

            self.emulators = emulators.result()
        print_emulators(self.console, self.emulators)
        self.emulators.watch(self.emulator_exited)
        self.check()
        endpoint_url = self.emulators.aws_endpoint_url
        clients = provision.aws_clients(endpoint_url) if endpoint_url else None
        provisioned = provision.provision(plan, clients) if clients else provision.Provisioned()
        print_provisioned(
            self.console,
            provisioned,
            {
                name: bucket.spec.loader.table
                for name, bucket in plan.environment.buckets.items()
                if bucket.spec.loader is not None
            },
        )
        board = loads.LoadBoard(plan.paths, self.printer)
        if endpoint_url and clients:
            self.pollers = loads.start_pollers(plan, provisioned, endpoint_url, board)
            loads.load_seeds(plan, provisioned, clients.s3, board, self.stopping)
        resources = self.resources(provisioned)
        for label in plan.sidecars_not_run:
            self.console.print(f"sidecar {label}: not run locally (no local.command)", style="dim")
        for wave in plan.waves:
            self.start_wave(wave, resources)
        write_json(plan.paths.dev_json, self.description(provisioned))
        print_ready(self.console, plan, time.monotonic() - started)
        gates = [
            (service, gate)
            for service in self.services
            if (gate := plan.services[service.name].gate) is not None
        ]
        HealthWatch(gates, self.printer, self.stopping).start()
        if self.run_jobs and plan.environment.jobs:
            from shipway.job.local_schedule import JobScheduler

            self.scheduler = JobScheduler(
                plan.manifest, plan.environment.jobs, resources, self.printer, self.stopping
            )
            self.scheduler.start()

    def resources(self, provisioned: Provisioned) -> LocalResources:
        """Physical names and endpoints by manifest name, for wiring services."""
        assert self.emulators is not None
        redis = self.emulators.redis
        from shipway.cache.local import cache_urls

        caches = cache_urls(self.plan.environment.caches, "127.0.0.1", redis.port) if redis else {}
        return LocalResources(
            app=self.plan.app,
            environment=ENVIRONMENT,
            aws=self.emulators.aws_environment(),
            tables=provisioned.tables,
            buckets=provisioned.buckets,
            cache_urls=caches,
            secret_values=self.plan.secrets.values,
            secret_ids=provisioned.secret_ids,
            referenced_secrets=self.plan.secrets.referenced,
            service_urls={name: service.url for name, service in self.plan.services.items()},
            queue_urls={name: queue.url for name, queue in provisioned.queues.items()},
            topic_arns=provisioned.topics,
        )

    def start_wave(self, wave: list[str], resources: LocalResources) -> None:
        """Start services that need nothing not yet healthy; wait until each is healthy."""
        started = []
        for name in wave:
            sidecars = {sidecar.name: sidecar for sidecar in self.plan.services[name].sidecars}
            containers: dict[str, ServiceProcess] = {}
            for container, waits in start_order(self.plan.services[name].spec, sidecars):
                for target, condition in waits.items():
                    self.wait_for(name, container, containers[target], condition, sidecars)
                if container == MAIN_CONTAINER:
                    containers[container] = self.start_service(name, resources)
                    started.append(containers[container])
                else:
                    containers[container] = self.start_sidecar(sidecars[container])
        for service in started:
            gate = self.plan.services[service.name].gate
            if gate is not None:  # a worker is healthy while its process runs (watch())
                service.wait_healthy(gate, self.stopping)
            self.check()

    def start_service(self, name: str, resources: LocalResources) -> ServiceProcess:
        """The service's own process, watched: its exit ends the session."""
        service_plan = self.plan.services[name]
        service = ServiceProcess(
            name, service_plan.port, self.printer, log_file=self.plan.paths.service_log(name)
        )
        self.services.append(service)
        variables = service_environment(service_plan.service, resources, service_plan.port)
        service.start(service_plan.argv, process_environment(variables), service_plan.cwd)
        self.reaper.watch(service.pid)
        threading.Thread(
            target=self.watch, args=(service,), daemon=True, name=f"watch-{name}"
        ).start()
        return service

    def start_sidecar(self, sidecar: LocalSidecar) -> ServiceProcess:
        """A sidecar's process, logged under `service/sidecar`, stopped with the session."""
        process = ServiceProcess(sidecar.label, 0, self.printer)
        self.sidecars.append(process)
        variables = sidecar.environment(self.plan.secrets.referenced)
        process.start(sidecar.argv, process_environment(variables), sidecar.cwd)
        self.reaper.watch(process.pid)
        threading.Thread(
            target=self.watch_sidecar,
            args=(process, sidecar.essential),
            daemon=True,
            name=f"watch-{sidecar.label}",
        ).start()
        return process

    def wait_for(
        self,
        service: str,
        container: str,
        target: ServiceProcess,
        condition: Condition,
        sidecars: Mapping[str, LocalSidecar],
    ) -> None:
        """Block until target meets condition, as ECS holds back a container that depends on
        it; the session's failure (raised) if it never will."""
        waiter = service if container == MAIN_CONTAINER else f"{service}/{container}"
        why: str | None = None
        if condition == "HEALTHY" and target.name == service:  # the service's own health check
            gate = self.plan.services[service].gate
            if gate is not None:
                target.wait_healthy(gate, self.stopping)
        elif condition == "HEALTHY":
            sidecar = sidecars[target.name.split("/", 1)[1]]
            why = wait_sidecar_healthy(
                target,
                sidecar,
                environment=process_environment(sidecar.environment(self.plan.secrets.referenced)),
                stopping=self.stopping,
            )
        elif condition in {"COMPLETE", "SUCCESS"}:
            code = wait_exited(target, self.stopping)
            if condition == "SUCCESS" and code not in (None, 0):
                why = f"exited with status {code}"
        if why is not None:
            self.fail(target.failure(f"{why}; {waiter} starts only once it is {condition}"))
        self.check()

    def watch_sidecar(self, process: ServiceProcess, essential: bool) -> None:
        """An essential sidecar's exit stops the session, as it stops the task in the cloud."""
        assert process.process is not None
        code = process.process.wait()
        if self.stopping.is_set():
            return
        process.tail.finished.wait(timeout=2)
        if essential:
            self.fail(process.failure(f"exited with status {code} (an essential sidecar)"))
        else:
            self.printer.line(process.name, f"exited with status {code} (not essential)")

    def watch(self, service: ServiceProcess) -> None:
        """Turn a service's exit, unless we are stopping, into the session's failure."""
        assert service.process is not None
        code = service.process.wait()
        if not self.stopping.is_set():
            service.tail.finished.wait(timeout=2)
            self.fail(service.failure(f"exited with status {code}"))

    def emulator_exited(self, failure: EmulatorExitedError) -> None:
        """An emulator dying on its own ends the session: nothing works without it."""
        if not self.stopping.is_set():
            self.fail(failure)

    def fail(self, failure: ServiceFailedError) -> None:
        """Keep the first failure and stop."""
        with self._failure_lock:
            if self.failure is None:
                self.failure = failure
        self.stopping.set()

    def check(self) -> None:
        """Raise the failure, or StopRequested, if the session must stop."""
        if self.failure is not None:
            raise self.failure
        if self.stopping.is_set():
            raise StopRequested

    def stop(self) -> None:
        """Services first (SIGTERM, then SIGKILL after the grace period), then emulators."""
        self.stopping.set()
        self.plan.paths.dev_json.unlink(missing_ok=True)
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.services or self.sidecars:
            self.console.print("stopping services ...", style="dim")
            # each service before its sidecars, as ECS stops a task's containers
            stop_all([*reversed(self.services), *self.sidecars], STOP_GRACE_SECONDS)
        for poller in self.pollers:
            poller.stop(timeout=0)
        for poller in self.pollers:
            poller.stop()
        if self.emulators is not None:
            self.emulators.stop()
        self.reaper.close()
        self.console.print("stopped", style="dim")

    def _service_entry(self, service: ServiceProcess) -> dict[str, Any]:
        kind = self.plan.services[service.name].spec.type
        if kind == "worker":  # it listens nowhere
            return {"type": kind, "url": None, "port": None, "pid": service.pid}
        return {"type": kind, "url": service.url, "port": service.port, "pid": service.pid}

    def description(self, provisioned: Provisioned) -> dict[str, Any]:
        """The content of dev.json."""
        assert self.emulators is not None
        redis = self.emulators.redis
        return {
            "application": self.plan.app,
            "manifest": str(self.plan.manifest.path.resolve()),
            "pid": os.getpid(),
            "services": {service.name: self._service_entry(service) for service in self.services},
            "aws_endpoint_url": self.emulators.aws_endpoint_url,
            "redis_url": f"redis://127.0.0.1:{redis.port}/0" if redis else None,
            "redis": redis.kind if redis else None,
            "tables": provisioned.tables,
            "buckets": provisioned.buckets,
            "queues": {
                **{
                    name: {"url": queue.url, "dead_letter_url": queue.dead_letter_url}
                    for name, queue in provisioned.loader_queues.items()
                },
                **{
                    name: {"url": queue.url, "dead_letter_url": queue.dead_letter_url}
                    for name, queue in provisioned.queues.items()
                },
            },
            "topics": provisioned.topics,
            "secrets": provisioned.secret_ids,
            "pids": {
                "moto": self.emulators.moto.pid if self.emulators.moto else None,
                "redis": redis.pid if redis else None,
            },
        }

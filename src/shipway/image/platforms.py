"""Whether this machine can build an image for another CPU architecture.

An image for another architecture runs its RUN steps through an emulator (QEMU, registered with
the kernel's binfmt_misc); without one the build stops at its first RUN with an `exec format
error` that does not say why. shipway asks before building and says what to do instead.
"""

from __future__ import annotations

import platform
from pathlib import Path

from shipway.image.errors import ImageError

MACHINES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
EMULATORS = {"amd64": "qemu-x86_64", "arm64": "qemu-aarch64"}
BINFMT = Path("/proc/sys/fs/binfmt_misc")


class ForeignPlatformError(ImageError):
    """The image is for another CPU architecture and nothing here can emulate it."""


def check_can_build(service: str, wanted: str | None, binfmt: Path | None = None) -> None:
    """Raise ForeignPlatformError if `wanted` (linux/arm64 ...) cannot be built here."""
    if wanted is None:
        return
    binfmt = BINFMT if binfmt is None else binfmt
    architecture = wanted.removeprefix("linux/")
    here = MACHINES.get(platform.machine().lower())
    if here is None or here == architecture:
        return
    if (binfmt / EMULATORS.get(architecture, f"qemu-{architecture}")).exists():
        return
    raise ForeignPlatformError(
        f"service {service}: its image is for {wanted} (platform in the manifest) but this "
        f"machine is linux/{here} with no emulator for {architecture} registered in "
        f"{binfmt}; build on a {architecture} machine (a CI runner), install QEMU user "
        "emulation (apt-get install qemu-user-static binfmt-support), or set the service's "
        "platform to x86_64"
    )

"""A stand-in for the examples' base image, made here from Debian packages: for tests only.

Machines without a public container registry cannot pull `python:3.11.14-slim-bookworm`. A
minimal Debian bookworm with Python 3 (debootstrap from the machine's own Debian mirror) is
imported into the rehearsal's daemon under exactly the names the Dockerfiles' `FROM` lines use.
The root filesystem tarball is cached (``$XDG_CACHE_HOME/shipway/rehearsal``), so a machine pays
the ~1 min debootstrap once. The image trusts the host's CA bundle (``PIP_CERT``), so `pip
install` inside a build reaches the package registry the way the host does. Never pushed anywhere.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.dev.dockerfile import instructions
from shipway.errors import MissingToolError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shipway.testing.docker_daemon import DockerDaemon

SUITE = "bookworm"
PACKAGES = "python3,python3-venv,ca-certificates"
# Bump the version when what goes into the tarball changes, so stale caches are not reused.
TARBALL_NAME = f"debian-{SUITE}-minbase-python3-v1.tar"
IMPORTED_IMAGE = f"shipway-rehearsal/debian-minbase:{SUITE}"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
FALLBACK_MIRROR = "http://deb.debian.org/debian"
PATH_VALUE = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ARG_REFERENCE = re.compile(r"\$\{?(\w+)\}?")


def rehearsal_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where rehearsal artefacts that outlive a test session are kept."""
    environ = os.environ if environ is None else environ
    if environ.get("SHIPWAY_REHEARSAL_CACHE"):
        return Path(environ["SHIPWAY_REHEARSAL_CACHE"])
    cache_home = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "shipway" / "rehearsal"


def base_image_names(dockerfiles: Iterable[Path]) -> list[str]:
    """The images the Dockerfiles build FROM (not their own stages, not `scratch`)."""
    names: set[str] = set()
    for dockerfile in dockerfiles:
        names |= _from_images(dockerfile.read_text(encoding="utf-8"))
    return sorted(names)


def _from_images(text: str) -> set[str]:
    stages: set[str] = {"scratch"}
    arguments: dict[str, str] = {}
    images: set[str] = set()
    for keyword, rest in instructions(text):
        if keyword == "ARG" and not images and not stages - {"scratch"}:
            name, _, default = rest.partition("=")
            arguments[name.strip()] = default.strip().strip("'\"")
        elif keyword == "FROM":
            words = [word for word in rest.split() if not word.startswith("--")]
            image = ARG_REFERENCE.sub(lambda m: arguments.get(m[1], ""), words[0])
            if image.lower() not in stages:
                images.add(image)
            if len(words) >= 3 and words[1].upper() == "AS":
                stages.add(words[2].lower())
    return images


def debian_mirror(apt_dir: Path = Path("/etc/apt")) -> str:
    """This machine's Debian mirror for the suite, from its apt sources (either format)."""
    for sources in sorted((apt_dir / "sources.list.d").glob("*.sources")):
        for block in sources.read_text(encoding="utf-8").split("\n\n"):
            fields = _deb822_fields(block)
            if SUITE in fields.get("Suites", "").split() and "deb" in fields.get("Types", ""):
                return fields["URIs"].split()[0]
    for path in [apt_dir / "sources.list", *sorted((apt_dir / "sources.list.d").glob("*.list"))]:
        mirror = _one_line_mirror(path)
        if mirror:
            return mirror
    return FALLBACK_MIRROR


def _deb822_fields(block: str) -> dict[str, str]:
    fields = {}
    for line in block.splitlines():
        name, colon, value = line.partition(":")
        if colon and not line.startswith((" ", "#")):
            fields[name.strip()] = value.strip()
    return fields


def _one_line_mirror(path: Path) -> str | None:
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        words = re.sub(r"\[[^]]*\]", "", line).split()
        if len(words) >= 3 and words[0] == "deb" and words[2] == SUITE:
            return words[1]
    return None


def base_tarball(cache_dir: Path) -> Path:
    """The cached root filesystem tarball, made with debootstrap the first time."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / TARBALL_NAME
    with open(cache_dir / "base.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one debootstrap at a time, even across sessions
        if not tarball.is_file():
            _make_tarball(tarball)
    return tarball


def _make_tarball(tarball: Path) -> None:
    debootstrap = shutil.which("debootstrap") or shutil.which("/usr/sbin/debootstrap")
    if debootstrap is None:
        raise MissingToolError("debootstrap is not installed: apt-get install debootstrap")
    with tempfile.TemporaryDirectory(dir=tarball.parent, prefix="rootfs-") as scratch:
        rootfs = Path(scratch) / "rootfs"
        argv = [debootstrap, "--variant=minbase", f"--include={PACKAGES}", SUITE, str(rootfs)]
        _run([*argv, debian_mirror()], what="debootstrap")
        # the examples call `python`, as the official images provide it
        (rootfs / "usr/local/bin/python").symlink_to("/usr/bin/python3")
        partial = tarball.with_suffix(".partial")
        _run(["tar", "-C", str(rootfs), "-cf", str(partial), "."], what="tar")
        partial.rename(tarball)


def _run(argv: list[str], *, what: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{tail}")


def install_base_images(daemon: DockerDaemon, names: Iterable[str], cache_dir: Path) -> None:
    """Import the stand-in base into daemon and tag it with each of names."""
    tarball = base_tarball(cache_dir)
    changes = ["--change", f"ENV PATH={PATH_VALUE}", "--change", 'CMD ["python3"]']
    daemon.docker("import", *changes, str(tarball), IMPORTED_IMAGE)
    with tempfile.TemporaryDirectory(prefix="shipway-base-") as context:
        lines = [f"FROM {IMPORTED_IMAGE}"]
        if HOST_CA_BUNDLE.is_file():
            shutil.copyfile(HOST_CA_BUNDLE, Path(context) / "host-ca-certificates.crt")
            lines += [
                "COPY host-ca-certificates.crt /etc/ssl/certs/host-ca-certificates.crt",
                "ENV PIP_CERT=/etc/ssl/certs/host-ca-certificates.crt",
            ]
        (Path(context) / "Dockerfile").write_text("\n".join(lines) + "\n", encoding="utf-8")
        tags = [option for name in names for option in ("--tag", name)]
        daemon.docker("build", *tags, context)

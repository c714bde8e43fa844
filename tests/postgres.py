"""Start a real PostgreSQL server for the tests (Debian's binaries, loopback only).

Without the server binaries the PostgreSQL variants are skipped, so the README's test command
works on a machine with only Python; CI installs PostgreSQL and sets
``GUARANTOR_REQUIRE_POSTGRES=1``, which turns a missing server into a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


@dataclass(frozen=True)
class Server:
    """A running throwaway server: its base URL (no database) and its data folder."""

    url: str
    data: Path

    @property
    def postmaster(self) -> int:
        """The server's process id."""
        return int((self.data / "postmaster.pid").read_text().split()[0])


@contextmanager
def running_postgres(*, fsync: bool = False) -> Iterator[Server]:
    """A throwaway server on loopback, ``postgresql+psycopg://postgres@127.0.0.1:PORT``.
    The tests turn ``fsync`` off for speed; the load benchmark keeps PostgreSQL's default."""
    binaries = _binaries()
    if binaries is None:
        if os.environ.get("GUARANTOR_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL server binaries not found (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries not installed")
    # Not under pytest's tmp folder: the postgres user could not traverse its parents.
    folder = Path(tempfile.mkdtemp(prefix="guarantor-pg-"))
    data = folder / "data"
    data.mkdir()
    # PostgreSQL refuses to run as root: run it as the postgres user the Debian package made.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    _run(
        [
            *prefix,
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    if not fsync:
        options += " -c fsync=off"
    _run(
        [
            *prefix,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "start",
        ]
    )
    try:
        yield Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}", data)
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server: str) -> str:
    """A new, empty database on ``server``; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"

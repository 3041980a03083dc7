"""A throwaway PostgreSQL cluster for the suite (or TEST_DATABASE_URL when given).

CI and these machines run as root, and initdb refuses root, so the cluster is
created and run as the `postgres` system user, listening on a Unix socket only.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from config import normalise_database_url


def find_bindir() -> str | None:
    """The newest PostgreSQL server binaries on this machine, if any."""
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda path: int(path.split("/")[4]))
    return os.path.dirname(candidates[-1]) if candidates else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_cluster(bindir: str) -> Iterator[str]:
    """Start a private cluster; yield its SQLAlchemy URL; stop and delete it afterwards."""
    workdir = tempfile.mkdtemp(prefix="coproduction-pg-")
    datadir = os.path.join(workdir, "data")
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    os.chmod(workdir, 0o700)
    port = _free_port()
    run = lambda *args: subprocess.run(_as_server_user(list(args)), check=True,  # noqa: E731
                                       capture_output=True, text=True)
    try:
        run(f"{bindir}/initdb", "-D", datadir, "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync")
        run(f"{bindir}/pg_ctl", "-D", datadir, "-l", os.path.join(workdir, "log"), "-w",
            "-o", f"-p {port} -k {workdir} -c listen_addresses='' -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off", "start")
        yield f"postgresql+psycopg://postgres@/postgres?host={workdir}&port={port}"
    finally:
        subprocess.run(_as_server_user([f"{bindir}/pg_ctl", "-D", datadir, "-m", "immediate",
                                        "-w", "stop"]), capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def postgres_url() -> Iterator[str | None]:
    """TEST_DATABASE_URL if set, else a throwaway cluster, else None (no PostgreSQL here)."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield normalise_database_url(given)
        return
    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    with throwaway_cluster(bindir) as url:
        yield url

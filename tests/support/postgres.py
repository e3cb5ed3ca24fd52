"""A throwaway PostgreSQL cluster for tests that prove the same code runs on PostgreSQL.

Debian's server binaries, run as the `postgres` user when the tests run as root, listening only
on a Unix socket in a temporary directory, stopped and deleted at the end of the session.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

_START_TIMEOUT_SECONDS = 30


def _server_binaries() -> Path | None:
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    # Newest major version first: "15" must beat "9".
    found.sort(key=lambda binaries: int(binaries.parent.name.split(".")[0]), reverse=True)
    return found[0] if found else None


def _as_cluster_owner() -> list[str]:
    """Command prefix that runs PostgreSQL's tools as a user it accepts (never root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to own the cluster")
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh cluster listening only on a Unix socket in a temporary directory."""
    binaries = _server_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "apt-get install postgresql"
        )
    prefix = _as_cluster_owner()
    # Under /tmp itself: the postgres user cannot enter pytest's root-only tmp_path.
    root = Path(tempfile.mkdtemp(prefix="hawiya-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if prefix:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "hawiya",
         "--auth=trust", "--encoding=UTF8", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
         "-w", "-t", str(_START_TIMEOUT_SECONDS),
         "-o", f"-c listen_addresses='' -k {sockets} -c fsync=off", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://hawiya@/postgres?host={sockets}"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fresh_postgres_database(postgres_url: str) -> Callable[[], str]:
    """Makes a new empty database in the session's cluster and returns its URL."""

    def create() -> str:
        name = f"hawiya_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            postgres_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # name is ours, not input
        return postgres_url.replace("/postgres?", f"/{name}?")

    return create

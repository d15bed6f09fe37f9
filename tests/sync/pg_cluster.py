"""A throw-away PostgreSQL cluster for the sync tests: `initdb` into a temporary folder, `pg_ctl` on a
free local port, run as an unprivileged user when the tests run as root (PostgreSQL refuses root)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UNPRIVILEGED = "nobody"


def find_bin(name: str) -> str:
    """`initdb`/`pg_ctl`/`pg_dump` from PATH, else Debian's /usr/lib/postgresql/*/bin (newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise RuntimeError(f"PostgreSQL's {name} was not found (install Debian's 'postgresql' package)")
    return candidates[-1]


def _uid() -> int:
    import pwd

    return pwd.getpwnam(UNPRIVILEGED).pw_uid


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    superuser: str
    password: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def run(
        self, *argv: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
        return subprocess.run(
            command,
            check=check,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=self.folder,
            timeout=120,
        )

    def url(self, database: str = "notesdesk", user: str | None = None, password: str | None = None) -> str:
        user = user or self.superuser
        password = password or self.password
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self.run(
            find_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.folder / "log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        self.run(
            find_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "60", "-m", "fast", "stop", check=False
        )

    def restart(self) -> None:
        self.stop()
        self.start()

    def psql_env(self) -> dict[str, str]:
        return {"PGPASSWORD": self.password}

    def dump(self, database: str) -> str:
        return self.run(
            find_bin("pg_dump"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            self.superuser,
            database,
            env=self.psql_env(),
        ).stdout

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_cluster() -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="nd-pg-"))
    if os.geteuid() == 0:
        os.chown(folder, _uid(), -1)
    cluster = Cluster(folder, free_port(), "ndadmin", secrets.token_hex(16))
    pwfile = folder / "pw"
    pwfile.write_text(cluster.password + "\n")
    if os.geteuid() == 0:
        os.chown(pwfile, _uid(), -1)
    pwfile.chmod(0o600)
    # Password (SCRAM) over TCP, so each device's own role and password are really checked.
    cluster.run(
        find_bin("initdb"),
        "-D",
        str(cluster.data),
        "-U",
        cluster.superuser,
        "--pwfile",
        str(pwfile),
        "--auth-host=scram-sha-256",
        "--auth-local=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
    )
    pwfile.unlink()
    cluster.start()
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.folder, ignore_errors=True)

"""A throwaway PostgreSQL server for tests and benchmarks: initdb and pg_ctl into a temporary folder,
listening on a Unix socket in that folder only (no TCP port), run as a non-root user when we are root.

Nothing here skips: a machine without PostgreSQL's binaries gets a failure that says what to install
(.ci/run installs Debian's `postgresql` package when `initdb` is missing)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

#: the user the server runs as when the tests run as root (PostgreSQL refuses to run as root)
SERVER_USER = "esitui-pg"


class ServerError(RuntimeError):
    """The test server could not be started; the message says why and what to install."""


def binaries() -> Path:
    """The folder of initdb, pg_ctl and postgres: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    raise ServerError("PostgreSQL's initdb is not installed, so the shared-store tests cannot start a server: "
                      "`apt-get install -y postgresql` (.ci/run does it)")


def server_user() -> str:
    """Who runs the server: ourselves, or (as root) a system user made for it once."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        result = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                 SERVER_USER], capture_output=True, text=True)
        try:
            pwd.getpwnam(SERVER_USER)   # another test worker may have made it at the same moment
        except KeyError:
            raise ServerError(f"cannot create the user {SERVER_USER} to run PostgreSQL: {result.stderr.strip()}") \
                from None
    return SERVER_USER


class PgServer:
    """One running server; `url(dbname)` names a database on it, `create_database` makes a fresh one."""

    def __init__(self, root: Path | None = None):
        self.bin = binaries()
        self.user = server_user()
        self.root = Path(root or tempfile.mkdtemp(prefix="esi-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.log = self.root / "server.log"
        self._databases = 0

    def _run(self, *argv: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise ServerError(f"{' '.join(argv[:2])} failed ({result.returncode}): "
                              f"{(result.stderr or result.stdout).strip()[-2000:]}")
        return result

    def init(self) -> PgServer:
        """initdb: trust on the Unix socket only (its folder is private to the server's user)."""
        if os.geteuid() == 0:
            uid = pwd.getpwnam(self.user).pw_uid
            os.chown(self.root, uid, -1)
        os.chmod(self.root, 0o700)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> PgServer:
        """Start (or start again) the server; fails with the server's log when it does not come up."""
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   "-c max_connections=60 -c shared_buffers=64MB -c fsync=on")
        result = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                           "-o", options, "start", check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ServerError(f"pg_ctl start failed: {result.stderr.strip()} {log}")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (fast: connections are cut, as when a server goes down)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "status", check=False).returncode == 0

    def remove(self) -> None:
        """Stop the server and remove its folder."""
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.socket_dir}"

    def psql(self, dbname: str, sql: str) -> str:
        """Run SQL with psql; its output."""
        return self._run(str(self.bin / "psql"), "-h", str(self.socket_dir), "-d", dbname, "-U", self.user,
                         "-Atq", "-v", "ON_ERROR_STOP=1", "-c", sql).stdout

    def create_database(self, prefix: str = "t") -> str:
        """A fresh, empty database; its URL."""
        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}_{time.monotonic_ns() % 10**6}"
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server(root: Path | None = None) -> PgServer:
    """A new server, initialised and running."""
    return PgServer(root).init().start()

"""Owner-only folders, stale temporary files and the single-writer lock (replacement is fileops')."""

from __future__ import annotations

import errno
import fcntl
import getpass
import json
import os
import socket
from pathlib import Path

from esi_tui.store import fileops
from esi_tui.store.errors import StoreError, StoreLocked


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and every missing parent) readable by its owner only, if it does not exist."""
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the folder: {exc.strerror}") from None
        try:
            os.chmod(folder, 0o700)  # mkdir's mode is narrowed by the umask, never widened: make it exact
        except OSError:
            pass


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files fileops.replace_file left behind when a process died mid-write."""
    prefix, suffix = f".{path.name}.", ".tmp"
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        middle = name[len(prefix):-len(suffix)]
        if name.startswith(prefix) and name.endswith(suffix) and middle.isdigit():
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def describe_holder(lock_path: Path) -> str:
    """Who holds the lock, as 'user on host (pid N)', read from the lock file."""
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
        return f"{info['user']} on {info['host']} (pid {info['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


class WriterLock:
    """An exclusive advisory lock that says who holds it; released when the process dies.

    The lock file is never followed through a symbolic link, and a writer checks before each write that
    the file it locked is still the one at the path (`verify`): a lock file deleted or replaced under a
    running writer would otherwise let a second writer in.
    """

    def __init__(self, lock_path: Path):
        self.path = lock_path
        self.fd: int | None = None

    def acquire(self, db_path: Path) -> None:
        """Take the lock or raise StoreLocked naming the holder."""
        try:
            fd = fileops.OPS.open(self.path, os.O_RDWR | os.O_CREAT | fileops.NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(f"{self.path}: is a symbolic link; esi-tui does not follow links here "
                                 "(remove it)") from None
            raise StoreError(f"{self.path}: cannot open the lock file: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise StoreLocked(db_path, describe_holder(self.path)) from None
            raise StoreError(f"{self.path}: cannot lock: {exc.strerror}") from None
        self.fd = fd
        problem = self.problem()
        if problem:  # deleted or replaced between our open and our lock: another writer's now
            self.fd = None
            os.close(fd)
            raise StoreLocked(db_path, "another process (the lock file changed while it was taken)")
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid())
        holder = json.dumps({"user": user, "host": socket.gethostname(), "pid": os.getpid()})
        try:
            fileops.OPS.ftruncate(fd, 0)
            fileops.OPS.pwrite(fd, holder.encode(), 0)
        except OSError as exc:
            self.fd = None
            os.close(fd)
            raise StoreError(f"{self.path}: cannot write the lock file: {exc.strerror}") from None

    def problem(self) -> str:
        """What is wrong with the held lock ('' when the file locked is still the one at the path)."""
        if self.fd is None:
            return "not held"
        held = os.fstat(self.fd)
        try:
            there = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return "was deleted"
        except OSError as exc:
            return f"cannot be checked ({exc.strerror})"
        if (there.st_dev, there.st_ino) != (held.st_dev, held.st_ino):
            return "was replaced by another file"
        return ""

    def release(self) -> None:
        """Let another writer in (a lock file that is no longer ours is left alone)."""
        if self.fd is not None:
            fd = self.fd
            try:
                if not self.problem():
                    fileops.OPS.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                self.fd = None
                fileops.OPS.close(fd)

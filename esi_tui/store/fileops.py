"""Every write the file store makes goes through OPS, so the crash-point tests can record and replay them."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FileOps:
    """The file operations the journal, the fold, the lock and repair use: os calls, looked up when called."""

    def open(self, path: Path, flags: int, mode: int = 0o600) -> int:
        """Open a file descriptor (close-on-exec; created with `mode`)."""
        return os.open(path, flags | os.O_CLOEXEC, mode)

    def write(self, fd: int, data: bytes | memoryview) -> int:
        """Write at the file offset (the end, for O_APPEND); returns the bytes written."""
        return os.write(fd, data)

    def pwrite(self, fd: int, data: bytes, offset: int) -> int:
        """Write at `offset`."""
        return os.pwrite(fd, data, offset)

    def fsync(self, fd: int) -> None:
        """Make a file's data durable."""
        os.fsync(fd)

    def ftruncate(self, fd: int, size: int) -> None:
        """Cut a file to `size` bytes."""
        os.ftruncate(fd, size)

    def close(self, fd: int) -> None:
        """Close a file descriptor."""
        os.close(fd)

    def replace(self, source: Path, target: Path) -> None:
        """Rename `source` over `target` atomically."""
        os.replace(source, target)

    def unlink(self, path: Path) -> None:
        """Remove a name."""
        os.unlink(path)

    def fsync_dir(self, path: Path) -> None:
        """Make the creations, renames and removals in folder `path` durable."""
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


#: the operations in use; tests/unit/test_crash_points.py puts a recorder here
OPS = FileOps()


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` (a short write is continued; no progress at all is ENOSPC)."""
    import errno

    view = memoryview(data)
    while view:
        written = OPS.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def replace_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash or a power cut leaves either the old or the new file whole.

    The temporary file is created exclusively (never through a planted link) beside the target, 0600.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):   # never rename over a device, a pipe or a link
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW
    try:
        fd = OPS.open(tmp, flags)
    except FileExistsError:  # left by a killed process of ours with the same pid: ours to remove
        OPS.unlink(tmp)
        fd = OPS.open(tmp, flags)
    try:
        write_all(fd, data)
        OPS.fsync(fd)
    except OSError:
        OPS.close(fd)
        _forget(tmp)
        raise
    OPS.close(fd)
    try:
        OPS.replace(tmp, path)
    except OSError:
        _forget(tmp)
        raise
    OPS.fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create `path` (which must not exist) with `data`, 0600, durable with its folder entry."""
    fd = OPS.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW)
    try:
        write_all(fd, data)
        OPS.fsync(fd)
    finally:
        OPS.close(fd)
    OPS.fsync_dir(path.parent)


def _forget(path: Path) -> None:
    try:
        OPS.unlink(path)
    except OSError:
        pass

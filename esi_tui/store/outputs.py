"""Files a command writes with -o: created exclusively beside the target, 0600, fsync'd, renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from esi_tui.store.errors import StoreError

#: how a temp output's name starts and ends (the middle is random: nobody can plant a link there first)
PREFIX, SUFFIX = ".esi-tui-", ".part"


class OutputError(StoreError):
    """An output that could not be written; the message names the file and nothing else was changed."""


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _alive(pid: int) -> bool:
    """Whether a process of this id runs (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_outputs(folder: Path) -> None:
    """Delete temp outputs that killed runs left in `folder`: ours, of a process gone (never following a link)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
            continue
        pid = name[len(PREFIX):].split(".", 1)[0]
        path = folder / name
        try:
            st = os.lstat(path)
            if st.st_uid == os.getuid() and pid.isdigit() and not _alive(int(pid)):
                os.unlink(path)  # unlink removes a link itself, never what it points to
        except OSError:
            continue


def _write_special(path: Path, data: bytes) -> None:
    """Write to a device or a pipe in place: renaming over it would replace /dev/null with a file."""
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"{path}: could not write: {_why(exc)}") from None


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data` whole, or leave it as it was; OutputError names the file on any failure.

    The temp file is made by mkstemp (O_CREAT | O_EXCL, a random name, mode 0600) in the target's own
    folder, so that a link planted beside it receives nothing and the rename cannot cross disks.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    if path.exists() and not path.is_file():
        _write_special(path, data)  # /dev/null, /dev/stdout, a pipe: written to, never replaced
        return
    remove_stale_outputs(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{PREFIX}{os.getpid()}.{path.name[:40]}.", suffix=SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_why(exc)}") from None
    tmp = Path(tmp_name)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: could not write: {_why(exc)}; it was left as it was") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass  # the file is written and in place; only its survival of a power cut is less sure

"""Run `esi-tui ARGS` in this process with a disk that fills up: `python disk_full.py MODE ARGS...`.

MODE `journal-after:N`: writes to a *.journal file fail with ENOSPC once N bytes went into journals;
MODE `fold`: every write to a file other than a journal fails with ENOSPC (the journal is saved, the
database file cannot be replaced). Writes to terminals and pipes (stdout, stderr) always go through.
"""

from __future__ import annotations

import errno
import os
import stat
import sys


def install(mode: str) -> None:
    """Patch os.write so that the disk fills as MODE says."""
    real = os.write
    budget = [int(mode.split(":", 1)[1]) if mode.startswith("journal-after:") else -1]

    def write(fd: int, data) -> int:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return real(fd, data)
        name = os.readlink(f"/proc/self/fd/{fd}")
        journal = name.endswith(".journal")
        if mode == "fold" and not journal:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if journal and budget[0] >= 0:
            if len(data) > budget[0]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            budget[0] -= len(data)
        return real(fd, data)

    os.write = write  # type: ignore[assignment]


if __name__ == "__main__":
    install(sys.argv[1])
    from esi_tui.cli import main

    sys.exit(main(sys.argv[2:]))

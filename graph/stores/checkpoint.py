"""All or nothing across several sources: a checkpoint of the store, kept until the whole set commits.

One ``climatekg load A B`` writes each source as soon as it is read (a later file may refer to what
an earlier one stated), each write atomic on its own (``replace.py``). For the set, the store is
first checkpointed with Oxigraph's ``backup`` (hard links to the immutable RocksDB files: cheap
at any size) into ``home/undo``; the checkpoint is published by a rename, and committing is one
rename again (``undo`` → ``undo.done``), after every write was flushed. A ``home/undo`` found by
the next writer therefore means "a set was interrupted": the store folder is put back from it
before the store is opened. A failure inside the process restores the same way at once.

Only one process writes to a home at a time: ``WriterLock`` holds an advisory lock on
``home/write.lock`` for as long as a writable store is open, so recovery never races a live load.

``FAULT`` is a test hook, as in ``replace.py``: called with each step's name, it may raise or kill.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from climatekg.graph.errors import StoreError

#: Called with a step name before each step (tests inject faults here); None in use.
FAULT: Callable[[str], None] | None = None

UNDO = "undo"  # the checkpoint of an uncommitted set: its presence means "roll back"
_PENDING = "undo.tmp"  # a checkpoint being written (not yet published)
_DONE = "undo.done"  # a committed set's checkpoint, to delete
_FAILED = "store.failed"  # the store of an interrupted set, to delete


def _step(name: str) -> None:
    if FAULT is not None:
        FAULT(name)


class WriterLock:
    """An exclusive advisory lock on ``home/write.lock``, released on close, garbage collection or exit."""

    def __init__(self, home: Path):
        home.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] | None = open(home / "write.lock", "ab")  # noqa: SIM115 (held open)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            raise StoreError(
                f"another process is writing to {home}; try again when it has finished"
            ) from None

    def release(self) -> None:
        """Let the next writer in."""
        if self._file is not None:
            self._file.close()
            self._file = None


def begin(store: ox.Store, home: Path) -> None:
    """Checkpoint the committed store into ``home/undo`` (published by a rename)."""
    pending = home / _PENDING
    shutil.rmtree(pending, ignore_errors=True)
    _step("checkpoint")
    store.flush()
    store.backup(str(pending))
    os.rename(pending, home / UNDO)
    _step("checkpointed")


def commit(store: ox.Store, home: Path) -> None:
    """Make the set's writes final: flush, then drop the checkpoint (the rename is the commit)."""
    store.flush()
    _step("commit")
    os.rename(home / UNDO, home / _DONE)
    _step("committed")
    shutil.rmtree(home / _DONE, ignore_errors=True)


def restore(home: Path) -> list[str]:
    """Put the store back as the checkpoint holds it, if a set was interrupted; remove leftovers.

    Called with the writer lock held and the store closed. Every step can be interrupted and
    run again: ``undo`` stays until it has become ``store``. Returns what was done, for the log.
    """
    done = []
    live, undo = home / "store", home / UNDO
    if undo.is_dir():
        if live.exists():
            shutil.rmtree(home / _FAILED, ignore_errors=True)
            os.rename(live, home / _FAILED)
        os.rename(undo, live)
        done.append("restored the store as it was before an interrupted multi-source load")
    for leftover in (_PENDING, _DONE, _FAILED):
        if (home / leftover).exists():
            shutil.rmtree(home / leftover, ignore_errors=True)
            done.append(f"removed {leftover}")
    return done


def committed_version(folder: Path) -> str:
    """A token that changes with every commit to the store in ``folder``: a hash of its files'
    names, sizes and modification times (and of the folder itself, which a restore replaces).

    Costs a directory listing, so a server can ask before every request. RocksDB's own log files
    (``LOG*``) are left out: opening the store read-only may write them.
    """
    h = hashlib.sha1()
    try:
        h.update(str(folder.stat().st_ino).encode())
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return "none"
    for e in entries:
        if e.name.startswith("LOG"):
            continue
        try:
            st = e.stat()
        except OSError:  # compacted away while listing
            continue
        h.update(f"{e.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]

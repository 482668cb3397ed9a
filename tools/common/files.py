"""Files that appear complete or not at all, and zips whose bytes depend only on their contents.

The standard library has the pieces (``tempfile``, ``os.replace``, ``zipfile``)
but no "atomic write" or "reproducible zip"; the maintained packages for the
first (atomicwrites) are archived, so the book keeps these two small helpers,
used by every writer in tools/.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Readable by everyone, as a web server or a student's unzip expects (mkstemp makes 0600).
FILE_MODE = 0o644
# The earliest date a zip can hold: a fixed date instead of the build's.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@contextmanager
def atomic_path(target: Path, mode: int = FILE_MODE) -> Iterator[Path]:
    """A temporary path beside ``target``; it replaces ``target`` if the block succeeds, else it is removed.

    For writers that want a path (a browser printing a PDF, a zip archive).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_bytes_atomically(target: Path, data: bytes, mode: int = FILE_MODE) -> None:
    with atomic_path(target, mode) as temporary:
        temporary.write_bytes(data)


def write_text_atomically(target: Path, text: str, mode: int = FILE_MODE) -> None:
    """``text`` in UTF-8 with ``\\n`` line ends, whatever the platform."""
    write_bytes_atomically(target, text.encode("utf-8"), mode)


def write_zip(
    target: Path,
    members: Iterable[tuple[str, bytes]],
    *,
    date: tuple[int, ...] = ZIP_DATE,
    compress: bool = True,
    member_mode: int | None = FILE_MODE,
) -> Path:
    """Write ``members`` (name, bytes), in the given order, as a zip that only they determine.

    Fixed dates; ``member_mode`` is what unzip applies (None: no mode, as NumPy's
    own .npz files have); ``compress=False`` stores the members as they are.
    """
    with atomic_path(target) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date)
            if compress:
                info.compress_type = zipfile.ZIP_DEFLATED
            if member_mode is not None:
                info.external_attr = member_mode << 16
                info.create_system = 3  # Unix, so the mode above is what unzip applies
            archive.writestr(info, data, compresslevel=9 if compress else None)
    return target

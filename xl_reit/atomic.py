"""Write a file so that readers see the old file or the whole new one, never a part.

A workbook that a run leaves half-written is worse than none: Excel refuses
it, or shows a "repair" dialog that silently drops what it could not read. So
:func:`write_atomically` lets the writer fill a temporary file in the *same*
folder (a rename is only atomic within one file system), flushes it to disk,
and only then puts it in place with one rename. On any failure, an interrupt
included, the temporary file is removed and an existing file is left as it
was.

Without ``overwrite`` the final step is a hard link, which fails if the name
was taken in the meantime, so a file that appears while the workbook is being
built is not clobbered either.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from .errors import XlReitError

__all__ = ["OutputFileError", "write_atomically"]


class OutputFileError(XlReitError):
    """A file a command was asked to write: it exists (without ``--force``) or cannot be written."""


def _exists_error(path: Path, argument: str) -> OutputFileError:
    return OutputFileError(
        f"{argument} {str(path)!r}: the file exists; give --force to replace it, "
        "or another path with -o"
    )


def _new_temporary(path: Path) -> Path:
    """Create an empty, unique, hidden file next to ``path`` (mode from the umask)."""
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        return candidate


def _sync(path: Path) -> None:
    """Flush ``path``'s contents to disk, so a power cut cannot reorder it after the rename."""
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the rename (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _place(temporary: Path, path: Path, overwrite: bool, argument: str) -> None:
    if overwrite:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if the name is taken, even by a racing writer
    except FileExistsError:
        raise _exists_error(path, argument) from None
    except OSError:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if path.exists():
            raise _exists_error(path, argument) from None
        os.replace(temporary, path)


def write_atomically(
    path: str | os.PathLike[str],
    write: Callable[[Path], None],
    *,
    overwrite: bool = False,
    argument: str = "output",
) -> Path:
    """Call ``write(temporary_path)``, then move the result to ``path`` in one step.

    Returns the absolute path written. Raises :class:`OutputFileError` when
    ``path`` exists and ``overwrite`` is false, or when the folder cannot be
    written; ``argument`` names the option in that message. Whatever
    ``write`` raises is raised again after the temporary file is removed.
    """
    target = Path(path).absolute()
    if target.exists() and not overwrite:
        raise _exists_error(target, argument)
    if target.is_dir():
        raise OutputFileError(f"{argument} {str(target)!r} is a folder; give a file name")
    try:
        temporary = _new_temporary(target)
    except OSError as error:
        raise OutputFileError(
            f"{argument} {str(target)!r}: cannot write in {str(target.parent)!r}: "
            f"{error.strerror or error}"
        ) from None
    try:
        write(temporary)
        _sync(temporary)
        _place(temporary, target, overwrite, argument)
        _sync_folder(target.parent)
    except OSError as error:
        raise OutputFileError(
            f"{argument} {str(target)!r}: cannot write the file: {error.strerror or error}"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return target

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

Where the system can (Linux's ``O_TMPFILE``), the temporary file has no name
at all while it is written: a process killed mid-write (``kill -9``, a power
cut) leaves nothing behind, because the kernel frees a nameless file when its
last descriptor closes. The writer reaches it as ``/proc/self/fd/N``. Only
the last step, when ``overwrite`` replaces an existing file, gives it a name
for the instant between the link and the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import OutputFileError

__all__ = ["write_atomically"]


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


def _anonymous_file(folder: Path) -> int | None:
    """A nameless file in ``folder`` (Linux ``O_TMPFILE``), or ``None`` where unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOSPC, errno.EROFS):
            raise
        return None  # the file system does not support it (EOPNOTSUPP, EISDIR, EINVAL …)


def _name_anonymous(descriptor: int, path: Path) -> None:
    """Give the nameless file ``path`` (``linkat`` with ``AT_SYMLINK_FOLLOW``).

    A directory descriptor makes Python call ``linkat`` rather than ``link``,
    which would try to link the ``/proc`` symlink itself.
    """
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{descriptor}", path.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _place_anonymous(descriptor: int, path: Path, overwrite: bool, argument: str) -> None:
    if not overwrite:
        try:
            _name_anonymous(descriptor, path)
        except FileExistsError:
            raise _exists_error(path, argument) from None
        return
    while True:
        named = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            _name_anonymous(descriptor, named)
            break
        except FileExistsError:
            continue
    try:
        os.replace(named, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            named.unlink()


def _target(
    path: str | os.PathLike[str], overwrite: bool, argument: str
) -> tuple[Path, int | None]:
    """The file to write (a link's target) and the mode to keep; refuse what must stay."""
    target = Path(path).absolute()
    if target.is_symlink():
        target = target.resolve()  # replace the file the link names, and keep the link
    if target.is_dir():
        raise OutputFileError(f"{argument} {str(target)!r} is a folder; give a file name")
    if not target.exists():
        return target, None
    if not overwrite:
        raise _exists_error(target, argument)
    if not target.is_file():
        raise OutputFileError(
            f"{argument} {str(target)!r} is not a regular file (a device, a pipe or a "
            "socket); give the path of a file to write"
        )
    return target, stat.S_IMODE(target.stat().st_mode)  # a replaced file keeps its permissions


def _write_anonymous(
    descriptor: int,
    target: Path,
    write: Callable[[Path], None],
    mode: int | None,
    overwrite: bool,
    argument: str,
) -> None:
    """Fill the nameless file, flush it, and give it the target's name."""
    write(Path(f"/proc/self/fd/{descriptor}"))
    if mode is not None:
        os.fchmod(descriptor, mode)
    os.fsync(descriptor)
    _place_anonymous(descriptor, target, overwrite, argument)


def _write_named(
    temporary: Path,
    target: Path,
    write: Callable[[Path], None],
    mode: int | None,
    overwrite: bool,
    argument: str,
) -> None:
    """Fill the hidden temporary file beside the target, flush it, and move it into place."""
    write(temporary)
    if mode is not None:
        temporary.chmod(mode)
    _sync(temporary)
    _place(temporary, target, overwrite, argument)


def write_atomically(
    path: str | os.PathLike[str],
    write: Callable[[Path], None],
    *,
    overwrite: bool = False,
    argument: str = "output",
) -> Path:
    """Call ``write(temporary_path)``, then move the result to ``path`` in one step.

    Returns the absolute path written. Raises :class:`OutputFileError` when
    ``path`` exists and ``overwrite`` is false, when it is a folder or not a
    regular file (a device such as ``/dev/null``, a pipe), or when the folder
    cannot be written; ``argument`` names the option in that message. A path
    that is a symbolic link writes the file it names; a replaced file keeps
    its permissions. Whatever ``write`` raises is raised again after the
    temporary file is removed.
    """
    target, mode = _target(path, overwrite, argument)
    try:
        descriptor = _anonymous_file(target.parent)
        temporary = None if descriptor is not None else _new_temporary(target)
    except OSError as error:
        raise OutputFileError(
            f"{argument} {str(target)!r}: cannot write in {str(target.parent)!r}: "
            f"{error.strerror or error}"
        ) from None
    try:
        if descriptor is not None:
            _write_anonymous(descriptor, target, write, mode, overwrite, argument)
        else:
            assert temporary is not None
            _write_named(temporary, target, write, mode, overwrite, argument)
        _sync_folder(target.parent)
    except OSError as error:
        raise OutputFileError(
            f"{argument} {str(target)!r}: cannot write the file: {error.strerror or error}"
        ) from None
    finally:
        if descriptor is not None:
            os.close(descriptor)
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    return target

"""Files are written whole or not at all: disk full, permission denied, kill -9."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from xl_reit import atomic
from xl_reit.atomic import write_atomically
from xl_reit.errors import OutputFileError

PREVIOUS = b"the previous workbook, which must survive"


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(PREVIOUS)
    return path


def test_a_full_disk_leaves_the_previous_file_and_no_temporary_file(existing: Path) -> None:
    def fill_the_disk(temporary: Path) -> None:
        temporary.write_bytes(b"PK\x03\x04 the first part")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputFileError, match="No space left on device"):
        write_atomically(existing, fill_the_disk, overwrite=True)
    assert existing.read_bytes() == PREVIOUS
    assert [p.name for p in existing.parent.iterdir()] == ["book.xlsx"]


def test_a_folder_without_write_permission_is_an_output_error() -> None:
    # Outside pytest's own temporary folders, which only their owner may enter.
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    folder = base / "locked"
    folder.mkdir()
    (folder / "book.xlsx").write_bytes(PREVIOUS)
    folder.chmod(0o555)
    code = textwrap.dedent(
        f"""
        import os, sys
        from xl_reit.atomic import write_atomically, OutputFileError
        if os.geteuid() == 0:  # root ignores permissions: become nobody first
            os.setgid(65534); os.setuid(65534)
        try:
            write_atomically({str(folder / "book.xlsx")!r},
                             lambda p: p.write_bytes(b"new"), overwrite=True)
        except OutputFileError as error:
            print(error); sys.exit(1)
        """
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Permission denied" in result.stdout
    assert (folder / "book.xlsx").read_bytes() == PREVIOUS
    assert [p.name for p in folder.iterdir()] == ["book.xlsx"]
    shutil.rmtree(base)


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="nameless files need Linux O_TMPFILE")
def test_a_process_killed_mid_write_leaves_the_previous_file_and_nothing_else(
    existing: Path, tmp_path: Path
) -> None:
    started = tmp_path.parent / f"{tmp_path.name}-started"
    code = textwrap.dedent(
        f"""
        import pathlib, time
        from xl_reit.atomic import write_atomically

        def slow_writer(temporary):
            with open(temporary, "wb") as stream:
                stream.write(b"PK\\x03\\x04 half of a workbook")
                stream.flush()
                pathlib.Path({str(started)!r}).touch()
                time.sleep(60)

        write_atomically({str(existing)!r}, slow_writer, overwrite=True)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while not started.exists():
            assert process.poll() is None, "the writer ended before it was killed"
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        started.unlink(missing_ok=True)
    assert process.returncode == -signal.SIGKILL
    assert existing.read_bytes() == PREVIOUS
    assert [p.name for p in existing.parent.iterdir()] == ["book.xlsx"]


def test_without_force_an_existing_file_is_never_touched(existing: Path) -> None:
    with pytest.raises(OutputFileError, match="the file exists; give --force"):
        write_atomically(existing, lambda temporary: temporary.write_bytes(b"new"))
    assert existing.read_bytes() == PREVIOUS


def test_the_named_temporary_file_fallback_cleans_up_too(
    existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_anonymous_file", lambda folder: None)

    def fail(temporary: Path) -> None:
        temporary.write_bytes(b"half")
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with pytest.raises(OutputFileError, match="Input/output error"):
        write_atomically(existing, fail, overwrite=True)
    assert [p.name for p in existing.parent.iterdir()] == ["book.xlsx"]
    write_atomically(existing, lambda temporary: temporary.write_bytes(b"new"), overwrite=True)
    assert existing.read_bytes() == b"new"


def test_force_never_replaces_a_device_or_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OutputFileError, match="is not a regular file"):
        write_atomically(pipe, lambda temporary: temporary.write_bytes(b"x"), overwrite=True)
    assert pipe.is_fifo()
    with pytest.raises(OutputFileError, match="is not a regular file"):
        write_atomically("/dev/null", lambda temporary: temporary.write_bytes(b"x"), overwrite=True)
    assert Path("/dev/null").is_char_device()


def test_a_folder_is_named_as_a_folder_even_without_force(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="is a folder; give a file name"):
        write_atomically(tmp_path, lambda temporary: temporary.write_bytes(b"x"))


def test_a_symlink_writes_the_file_it_names_and_a_replaced_file_keeps_its_mode(
    existing: Path,
) -> None:
    existing.chmod(0o640)
    link = existing.parent / "link.xlsx"
    link.symlink_to(existing)
    write_atomically(link, lambda temporary: temporary.write_bytes(b"new"), overwrite=True)
    assert link.is_symlink() and existing.read_bytes() == b"new"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


def test_two_templates_written_to_one_path_at_once_leave_one_whole_workbook(
    tmp_path: Path,
) -> None:
    """Two ``xl-reit template -o same.xlsx --force`` at once: each replaces the file whole,
    so the one that links last wins, and no temporary file is left."""
    import openpyxl

    target = tmp_path / "same.xlsx"
    command = [sys.executable, "-m", "xl_reit", "template", "-o", str(target), "--force"]
    for _ in range(3):
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0]
        assert all(output.startswith(f"wrote {target}") for output in outputs)
        assert [path.name for path in tmp_path.iterdir()] == ["same.xlsx"]
        assert "1099-DIV" in openpyxl.load_workbook(target).sheetnames

"""Disks that misbehave for real: a folder made read-only (a read-only bind mount as root, whom file modes do not
stop, else modes) and a small disk that fills up (a tmpfs, as root)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` cannot be written inside this block (skips the test where that cannot be arranged)."""
    if os.name == "nt":
        pytest.skip("read-only folders are arranged with POSIX modes or mounts")
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in (folder, *folder.rglob("*"))}
        for path in modes:
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield folder
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mount = shutil.which("mount")
    if mount is None or subprocess.run([mount, "--bind", folder, folder], capture_output=True).returncode:
        pytest.skip("root, and a read-only bind mount cannot be made here")
    try:
        done = subprocess.run([mount, "-o", "remount,ro,bind", folder], capture_output=True)
        if done.returncode:
            pytest.skip(f"a read-only bind mount cannot be made here ({done.stderr.decode().strip()})")
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)


def _mount_tool() -> str:
    mount = shutil.which("mount")
    if os.name == "nt" or os.geteuid() != 0 or mount is None:
        pytest.skip("a small disk is a tmpfs, which needs root and mount")
    return mount


@contextlib.contextmanager
def small_disk(folder: Path, size_bytes: int) -> Iterator[Path]:
    """``folder`` is a fresh tmpfs of ``size_bytes`` inside this block (skips the test where none can be mounted)."""
    mount = _mount_tool()
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([mount, "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", folder], capture_output=True)
    if done.returncode:
        pytest.skip(f"a tmpfs cannot be mounted here ({done.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)


def fill(folder: Path, leave_bytes: int = 0) -> Path:
    """A file that takes all the free space of ``folder``'s disk but ``leave_bytes``."""
    path = folder / "filler"
    free = shutil.disk_usage(folder).free - leave_bytes
    with open(path, "wb") as out:
        chunk = b"\xa5" * (1 << 16)
        while free > 0:
            try:
                free -= out.write(chunk[: min(len(chunk), free)])
                out.flush()
            except OSError:
                break
    return path

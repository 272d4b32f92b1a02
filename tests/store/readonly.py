"""A folder made read-only for real: a read-only bind mount as root (whom file modes do not stop), else modes."""

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

#!/usr/bin/env bash
# The guest's wheelhouse, downloaded on the host (pip in the debootstrap chroot cannot verify TLS): imuhold's
# dependencies at the pinned versions, as binary wheels for the guest's CPython 3.11 on x86-64 Linux.
# Usage: wheels.sh IMUHOLD_WHEEL DIR   (DIR must not exist; it is made atomically, through DIR.partial)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wheel=$1 out=$2
python=${PYTHON:-python3}
rm -rf "$out.partial"
"$python" -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    --python-version 3.11 --implementation cp --abi cp311 \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
    --constraint "$here/constraints.txt" --dest "$out.partial" "imuhold[emulate] @ file://$(realpath "$wheel")" \
    >"$out.log" 2>&1 || { grep -v "is ignored" "$out.log" | tail -20 >&2; exit 1; }
rm -f "$out.partial"/imuhold-*.whl  # imuhold itself changes often: it is added to each image, not cached here
mv "$out.partial" "$out"

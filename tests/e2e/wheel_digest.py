"""Prints a digest of a wheel's content (member names and bytes, not the zip's timestamps): part of the image key."""

import hashlib
import sys
import zipfile

digest = hashlib.sha256()
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in sorted(wheel.namelist()):
        digest.update(name.encode() + b"\0" + wheel.read(name) + b"\0")
print(digest.hexdigest()[:16])

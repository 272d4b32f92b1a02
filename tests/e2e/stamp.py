"""Copies standard input to standard output, each line prefixed with the seconds since this program started."""

import sys
import time

start = time.monotonic()
for line in sys.stdin.buffer:
    sys.stdout.write(f"{time.monotonic() - start:8.2f} {line.decode(errors='replace')}")
    sys.stdout.flush()

"""``python -m imuhold.cli``: the same as the ``imuhold`` command."""

from imuhold.cli import main

main()

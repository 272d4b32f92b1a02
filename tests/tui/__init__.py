"""Tests of the training screen (a package, so test module names may repeat in other test folders)."""

"""Tests of recording files (a package, so test module names may repeat in other test folders)."""

"""Bluetooth LE: the only package that imports bleak (in ``bleak_backend``, loaded lazily). Scan, connect, stream."""

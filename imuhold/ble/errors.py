"""Typed BLE errors, each with a title a user can read; transient ones are retried by the link."""

from __future__ import annotations

from imuhold.errors import ImuholdError


class BleError(ImuholdError):
    """Something went wrong talking to a sensor over Bluetooth."""

    title = "Bluetooth problem"


class NoAdapterError(BleError):
    """No Bluetooth adapter, or the Bluetooth service is not running."""

    title = "No Bluetooth adapter"


class SensorNotFoundError(BleError):
    """The sensor did not answer: out of range, switched off, or connected to another host."""

    title = "Sensor not found"

    def __init__(self, address: str, message: str | None = None) -> None:
        self.address = address
        super().__init__(message or f"no sensor at {address} (is it on, in range, and not connected elsewhere?)")


class UnsupportedSensorError(BleError):
    """The sensor speaks a protocol imuhold does not know, or a different version of it."""

    title = "Unknown sensor protocol"


class LinkLostError(BleError):
    """The connection dropped or a GATT operation failed on the way; the link reconnects."""

    title = "Connection lost"


class SensorGoneError(BleError):
    """The sensor stayed out of reach longer than the link was told to wait, so the link gave up."""

    title = "Sensor gone"

    def __init__(self, sensor: str, gone_s: float) -> None:
        self.sensor = sensor
        self.gone_s = gone_s
        super().__init__(f"{sensor}: no connection for {gone_s:.0f} s, gave up")

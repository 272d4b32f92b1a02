"""The guest's BLE stack as the scenarios drive it: the emulator on /dev/vhci, the adapter, imuhold as processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from imuhold.sim.emulate.sendlog import read_send_log

SENSOR_ADDRESS = "F0:F1:F2:F3:F4:F5"
DECOY_ADDRESS = "F0:F1:F2:F3:F4:F6"
STILL_S = 15.0
"""The emulated sensor stands still this long before the routine: time for imuhold to start, connect, calibrate."""
START_TIMEOUT_S = 120.0
RESUMED_AFTER_S = 1.0
"""A sensor drops its connection a few notifications after the drop is due (a full run sent one 1 ms after it)."""
STOP_TIMEOUT_S = 30.0


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str, poll_s: float = 0.25) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout_s:g} s for {what}")
        time.sleep(poll_s)


def stop(process: subprocess.Popen) -> int:
    """Ctrl-C, as a user would; killed when it does not end in time. Returns the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@dataclass
class Emulator:
    """``imuhold emulate --transport vhci``: a virtual adapter with one emulated sensor, in the background."""

    process: subprocess.Popen
    log: Path
    send_log: Path

    @classmethod
    def start(cls, workdir: Path, profile: str, *options: str) -> Emulator:
        log, send_log = workdir / "emulator.log", workdir / "sent.txt"
        args = ["imuhold", "emulate", "--profile", profile, "--transport", "vhci", "--address", SENSOR_ADDRESS]
        args += ["--still", f"{STILL_S:g}", "--send-log", str(send_log), "--seconds", "600", *options]
        with log.open("w") as output:
            process = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT)
        emulator = cls(process, log, send_log)
        wait_for(lambda: "emulating" in emulator.output() or process.poll() is not None, START_TIMEOUT_S, "emulate")
        if process.poll() is not None:
            raise RuntimeError(f"imuhold emulate ended: {emulator.output()}")
        power_on_adapter()
        return emulator

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def sensor_clock_zero_ns(self) -> int | None:
        """``time.monotonic_ns()`` at sensor time 0 (from the first motion notification), None before streaming."""
        first = next((n for n in read_send_log(self.send_log) if n.sensor_t_s is not None), None)
        return None if first is None else first.t_send_ns - round(first.sensor_t_s * 1e9)

    def wait_for_sensor_time(self, t_s: float, timeout_s: float) -> None:
        """Block until the sensor clock reads ``t_s`` (it must be streaming to someone by then)."""
        wait_for(lambda: self.sensor_clock_zero_ns() is not None, timeout_s, "the sensor to stream")
        zero_ns = self.sensor_clock_zero_ns()
        assert zero_ns is not None
        wait_for(lambda: time.monotonic_ns() >= zero_ns + t_s * 1e9, timeout_s, f"sensor time {t_s:g} s")

    def wait_for_stream_after(self, t_s: float, timeout_s: float) -> float:
        """Block until the sensor streams again after an outage at sensor time ``t_s`` (someone subscribed and
        started it); returns the sensor time of that first notification. Notifications of the last RESUMED_AFTER_S
        before the outage took effect do not count."""
        found: list[float] = []

        def streaming() -> bool:
            later = t_s + RESUMED_AFTER_S
            found[:] = [n.sensor_t_s for n in read_send_log(self.send_log) if (n.sensor_t_s or 0.0) > later][:1]
            return bool(found)

        wait_for(streaming, timeout_s, f"the sensor to stream again after {t_s:g} s", poll_s=1.0)
        return found[0]

    def stop(self) -> str:
        stop(self.process)
        return self.output()


def power_on_adapter(timeout_s: float = 60.0) -> str:
    """Powers on the (only) adapter once BlueZ has it, as ``bluetoothctl power on`` would; returns its name."""
    found: list[str] = []

    def powered() -> bool:
        names = sorted(p.name for p in Path("/sys/class/bluetooth").glob("hci*") if ":" not in p.name)
        if not names:
            return False
        found[:] = names[:1]
        command = ["dbus-send", "--system", "--print-reply", "--dest=org.bluez", f"/org/bluez/{names[0]}"]
        command += ["org.freedesktop.DBus.Properties.Set", "string:org.bluez.Adapter1", "string:Powered"]
        command += ["variant:boolean:true"]
        return subprocess.run(command, capture_output=True).returncode == 0

    wait_for(powered, timeout_s, "BlueZ to power the adapter on", poll_s=0.5)
    return found[0]


@dataclass(frozen=True)
class Finished:
    """An imuhold command that ended: its exit status, outputs and wall time."""

    status: int
    stdout: str
    stderr: str
    wall_s: float


class Imuhold:
    """imuhold commands with their own data and config dirs under ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.env = {
            **os.environ,
            "IMUHOLD_DATA_DIR": str(workdir / "data"),
            "IMUHOLD_CONFIG_DIR": str(workdir / "config"),
        }

    def run(self, *args: str, timeout_s: float = 300.0) -> Finished:
        start = time.monotonic()
        done = subprocess.run(["imuhold", *args], capture_output=True, text=True, env=self.env, timeout=timeout_s)
        return Finished(done.returncode, done.stdout, done.stderr, time.monotonic() - start)

    def start(self, *args: str) -> subprocess.Popen:
        out, err = (self.workdir / "imuhold.out").open("w"), (self.workdir / "imuhold.err").open("w")
        return subprocess.Popen(["imuhold", *args], stdout=out, stderr=err, env=self.env)

    def finished(self, process: subprocess.Popen, start: float, timeout_s: float | None = None) -> Finished:
        """The outcome of a started command: interrupted (Ctrl-C) without ``timeout_s``, else waited for."""
        status = stop(process) if timeout_s is None else process.wait(timeout_s)
        stdout, stderr = ((self.workdir / name).read_text(errors="replace") for name in ("imuhold.out", "imuhold.err"))
        return Finished(status, stdout, stderr, time.monotonic() - start)

"""The e2e scenarios, run inside the VM against the real stack: imuhold → bleak → D-Bus → BlueZ → kernel → /dev/vhci
→ bumble → emulated sensor. Each asserts on what imuhold prints, stores and records; results go to OUT/results.json.

Usage: python scenarios.py --out DIR [--only NAME …]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stack import DECOY_ADDRESS, SENSOR_ADDRESS, STILL_S, Emulator, Finished, Imuhold, power_on_adapter, stop, wait_for
from truth import Routine, Traffic

from imuhold.recording import read_recording

SEED = 1
HOLD_TOLERANCE_S = 0.75
RECONNECT_TIMEOUT_S = 90.0
RESUMED_S = 6.0
"""After an outage the run goes on at least this long once the sensor streams again (imuhold says connected within
the 3 s of its device-information read)."""
RATE_HZ = 50
"""The rate of every streaming scenario: half the notifications of 100 Hz, so that the guest keeps up on a loaded
host. At 100 Hz the emulated sensor, imuhold, BlueZ and D-Bus together did not keep up in the TCG guest on this 2-core
host shared with other work: `live-imuhold-v1` received 60 notifications a second and the emulator fell behind its
clock again and again (docs/e2e.md); `live-witmotion-ble5`, whose frames carry no sensor time, made phantom holds."""
GIVE_UP_S = 20.0
STREAM_TIMEOUT_S = 240.0
LINK_LINE = re.compile(
    r"link: (\d+) packets received, (\d+) frames lost, (\d+) drops, (\d+) stalls, (\d+) duplicates,"
    r" reconnect s: (-|\d+\.\d+(?:, \d+\.\d+)*)"
)
GONE_LINE = re.compile(r"imuhold: Sensor gone: (.+): no connection for (\d+) s, gave up")
ROUTINE = Routine(SEED, STILL_S)
PAIRING_STILL_S = 60.0
PAIRING_ROUTINE = Routine(SEED, PAIRING_STILL_S)


class Scenario:
    """One scenario's work dir, checks and numbers."""

    def __init__(self, name: str, out: Path) -> None:
        self.name = name
        self.workdir = Path("/tmp/e2e") / name
        self.workdir.mkdir(parents=True)
        self.out = out / name
        self.failures: list[str] = []
        self.numbers: dict[str, Any] = {}

    def check(self, ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failures.append(what)

    def note(self, **numbers: Any) -> None:
        self.numbers.update(numbers)
        print(f"  ..   {numbers}", flush=True)


# -- what imuhold reports --------------------------------------------------------------------------------------------
def link_numbers(scenario: Scenario, stdout: str) -> dict[str, Any]:
    """The numbers of imuhold's closing ``link:`` line."""
    found = LINK_LINE.search(stdout)
    scenario.check(found is not None, "imuhold printed its link numbers")
    if found is None:
        return {}
    packets, lost, drops, stalls, duplicates, reconnect = found.groups()
    reconnect_s = [] if reconnect == "-" else [float(s) for s in reconnect.split(", ")]
    return {
        "packets": int(packets),
        "frames_lost": int(lost),
        "drops": int(drops),
        "stalls": int(stalls),
        "duplicates": int(duplicates),
        "reconnect_s": reconnect_s,
    }


def stored_session(scenario: Scenario, imuhold: Imuhold) -> dict[str, Any]:
    """``imuhold show last --json``: the session imuhold stored."""
    shown = imuhold.run("show", "last", "--json")
    scenario.check(shown.status == 0, f"imuhold show last --json works (status {shown.status}, {shown.stderr.strip()})")
    return json.loads(shown.stdout) if shown.status == 0 else {"session": {}, "squats": []}


def check_holds(
    scenario: Scenario,
    session: dict[str, Any],
    expected: list[tuple[float, float]],
    window: tuple[float, float] | None = None,
) -> None:
    """The stored holds against the true ones (imuhold's time); with ``window``, only those that overlap it."""
    found = [(h["start_s"], h["end_s"]) for squat in session["squats"] for h in squat["holds"]]
    scenario.note(holds_expected=[tuple(round(t, 2) for t in h) for h in expected], holds_found=found)
    if window is not None:
        found = [h for h in found if h[0] < window[1] and h[1] > window[0]]
        expected = [h for h in expected if h[0] < window[1] and h[1] > window[0]]
        scenario.note(holds_checked_within=tuple(round(t, 2) for t in window))
    scenario.check(len(expected) >= 1, f"the run covered at least one whole true hold ({len(expected)})")
    scenario.check(len(found) == len(expected), f"{len(found)} holds stored, {len(expected)} true")
    for (start, end), (true_start, true_end) in zip(found, expected, strict=False):
        close = abs(start - true_start) <= HOLD_TOLERANCE_S and abs(end - true_end) <= HOLD_TOLERANCE_S
        scenario.check(
            close, f"hold {start:.2f}–{end:.2f} s within {HOLD_TOLERANCE_S} s of {true_start:.2f}–{true_end:.2f}"
        )


def traffic(scenario: Scenario, emulator: Emulator, recording_path: Path) -> Traffic:
    recording = read_recording(recording_path)
    flow = Traffic.of(emulator.send_log, recording)
    scenario.note(
        packets_sent=flow.sent,
        packets_received=flow.received,
        packets_lost=flow.lost,
        packets_unmatched=flow.unmatched,
        latency_p50_ms=flow.latency_p50_ms,
        latency_p99_ms=flow.latency_p99_ms,
        rx_rate_hz=flow.rx_rate_hz,
        connected_at_sensor_s=round(flow.first_t_s, 2),
        gaps_sensor_s=[(round(a, 2), round(b, 2)) for a, b in flow.gaps],
    )
    return flow


Action = tuple[float, Callable[[], None]]
"""Something the scenario does to the stack at a sensor time (power the adapter off, restart BlueZ…)."""


def live_until(
    scenario: Scenario,
    profile: str,
    end_s: float,
    *emulate: str,
    actions: tuple[Action, ...] = (),
    emulator: Emulator | None = None,
    imuhold: Imuhold | None = None,
    paired: bool = False,
    rate_hz: int = RATE_HZ,
    resumes_after_s: float | None = None,
) -> tuple[Emulator, Imuhold, Finished]:
    """imuhold live --headless at ``rate_hz`` against an emulated ``profile`` sensor (``paired``: the paired one, not
    named with --sensor), doing ``actions`` at their sensor times, stopped (Ctrl-C) at sensor time ``end_s`` — or,
    with ``resumes_after_s`` (the last outage), RESUMED_S after the sensor streams again, if that is later (a loaded
    host reconnects slowly; the check is that imuhold reconnects, not how fast)."""
    emulator = emulator or Emulator.start(scenario.workdir, profile, *emulate)
    imuhold = imuhold or Imuhold(scenario.workdir)
    record = scenario.workdir / "live.imuhold"
    start = time.monotonic()
    sensor = () if paired else ("--sensor", SENSOR_ADDRESS, "--profile", profile)
    process = imuhold.start("live", "--headless", *sensor, "--rate", f"{rate_hz}", "--record", str(record))
    try:
        for at_s, action in actions:
            emulator.wait_for_sensor_time(at_s, STREAM_TIMEOUT_S)
            action()
        emulator.wait_for_sensor_time(end_s, STREAM_TIMEOUT_S)
        if resumes_after_s is not None:
            resumed_s = emulator.wait_for_stream_after(resumes_after_s, RECONNECT_TIMEOUT_S)
            emulator.wait_for_sensor_time(max(end_s, resumed_s + RESUMED_S), STREAM_TIMEOUT_S)
    finally:
        done = imuhold.finished(process, start)
        scenario.note(emulator_said=emulator.stop().strip().splitlines()[-1:])
    print(done.stdout[-3000:], done.stderr[-2000:], sep="\n", flush=True)
    scenario.check(done.status == 0, f"imuhold live ended with status 0 on Ctrl-C ({done.status})")
    scenario.check(f"link: connected {profile} {SENSOR_ADDRESS}" in done.stdout, "imuhold connected to the sensor")
    return emulator, imuhold, done


# -- the scenarios -----------------------------------------------------------------------------------------------------
def scan_names_the_sensor(scenario: Scenario) -> None:
    emulator = Emulator.start(scenario.workdir, "imuhold-v1")
    try:
        done = Imuhold(scenario.workdir).run("scan", "--timeout", "5")
    finally:
        emulator.stop()
    print(done.stdout, done.stderr, sep="\n", flush=True)
    scenario.check(done.status == 0, f"imuhold scan ended with status 0 ({done.status})")
    line = next((row for row in done.stdout.splitlines() if SENSOR_ADDRESS in row), "")
    scenario.check(line.split()[2:3] == ["imuhold-v1"], f"the sensor is listed with its profile: {line!r}")
    scenario.note(scan_wall_s=round(done.wall_s, 1))


def live_matches_the_routine(profile: str) -> Callable[[Scenario], None]:
    def run(scenario: Scenario) -> None:
        end_s = ROUTINE.squats[1][1] + 2.0
        emulator, imuhold, done = live_until(scenario, profile, end_s, rate_hz=RATE_HZ)
        flow = traffic(scenario, emulator, scenario.workdir / "live.imuhold")
        link = link_numbers(scenario, done.stdout)
        scenario.note(**{f"imuhold_{k}": v for k, v in link.items()})
        scenario.check(flow.lost == 0, f"every notification sent arrived ({flow.lost} lost of {flow.sent})")
        scenario.check(link.get("frames_lost") == 0, "imuhold counted no frame lost")
        scenario.check(link.get("drops") == 0, "no drop")
        session = stored_session(scenario, imuhold)
        scenario.check(session["session"].get("end_reason") == "stopped", f"session stored: {session['session']}")
        check_holds(scenario, session, ROUTINE.expected_holds(flow.first_t_s, flow.last_t_s, flow.gaps))

    return run


def check_reconnects(scenario: Scenario, done: Finished, flow: Traffic, drops: int) -> None:
    """``drops`` drops, each reconnected once by imuhold itself, none a stall, no notification delivered twice, and
    the gaps marked in the recording."""
    link = link_numbers(scenario, done.stdout)
    scenario.note(**{f"imuhold_{k}": v for k, v in link.items()})
    if drops:
        scenario.note(packets_lost_per_drop=round(flow.lost / drops, 1))
    lost_at = done.stdout.find("; reconnecting")
    scenario.check(lost_at >= 0, "imuhold reported the lost connection")
    scenario.check(done.stdout.find("link: connected", lost_at) > lost_at >= 0, "imuhold reconnected by itself")
    scenario.check(
        link.get("drops") == drops and len(link.get("reconnect_s", [])) == drops,
        f"{drops} drops, each reconnected once ({link.get('drops')} drops, reconnect s {link.get('reconnect_s')})",
    )
    scenario.check(link.get("stalls") == 0, f"no stalled connection ({link.get('stalls')})")
    scenario.check(link.get("duplicates") == 0, f"no notification delivered twice ({link.get('duplicates')})")
    scenario.check(flow.unmatched == 0, f"no duplicated notification recorded ({flow.unmatched})")
    marks = [m.kind for m in read_recording(scenario.workdir / "live.imuhold").marks if m.kind.startswith("link-")]
    scenario.note(marks=marks)
    scenario.check(marks == ["link-lost", "link-restored"] * drops, "every gap is marked in the recording")


def drops_reconnect(hold: int, *fractions: float) -> Callable[[Scenario], None]:
    """The sensor drops the connection at these fractions of hold ``hold`` (0-based); imuhold reconnects after each
    and the hold survives. The run ends 2 s after that squat."""

    def run(scenario: Scenario) -> None:
        start_s, end_s = ROUTINE.holds[hold]
        drops = [start_s + f * (end_s - start_s) for f in fractions]
        scenario.note(drop_at_sensor_s=[round(t, 2) for t in drops], hold_sensor_s=(round(start_s, 2), round(end_s, 2)))
        emulate = [arg for t in drops for arg in ("--drop-at", f"{t}")]
        end_s = ROUTINE.squats[hold][1] + 2.0
        emulator, imuhold, done = live_until(
            scenario, "imuhold-v1", end_s, *emulate, rate_hz=RATE_HZ, resumes_after_s=drops[-1]
        )
        said = emulator.output()
        scenario.check(said.count("dropping the connection") == len(drops), "the sensor dropped every connection")
        flow = traffic(scenario, emulator, scenario.workdir / "live.imuhold")
        check_reconnects(scenario, done, flow, len(drops))
        session = stored_session(scenario, imuhold)
        entry_s, exit_s = (t - flow.first_t_s for t in ROUTINE.squats[hold])
        # only the squat with the drops: the emulated routine's stoop before the third squat was stored as a hold
        # in a VM run (a detector matter, not the link's: see docs/e2e.md)
        window = (entry_s, exit_s) if hold > 1 else None
        check_holds(scenario, session, ROUTINE.expected_holds(flow.first_t_s, flow.last_t_s, flow.gaps), window)

    return run


def between_squats(action_s: float, *emulate: str, actions: tuple[Action, ...] = ()) -> Callable[[Scenario], None]:
    """An outage while standing between the first and the second squat (the sensor's, or ``actions`` on the
    stack); imuhold reconnects by itself, once, and both holds are stored."""

    def run(scenario: Scenario) -> None:
        scenario.note(outage_at_sensor_s=action_s)
        end_s = ROUTINE.squats[1][1] + 2.0
        emulator, imuhold, done = live_until(
            scenario, "imuhold-v1", end_s, *emulate, actions=actions, rate_hz=RATE_HZ, resumes_after_s=action_s
        )
        flow = traffic(scenario, emulator, scenario.workdir / "live.imuhold")
        check_reconnects(scenario, done, flow, 1)
        session = stored_session(scenario, imuhold)
        check_holds(scenario, session, ROUTINE.expected_holds(flow.first_t_s, flow.last_t_s, flow.gaps))

    return run


OUTAGE_S = ROUTINE.squats[0][1] + 2.0
"""Sensor time of the outages between squats: standing, 2 s after the first squat (the second is 23 s later)."""
AWAY_S = 10.0


def adapter_power(on: bool) -> None:
    """``btmgmt power on|off`` on the (only) adapter, as a user switching Bluetooth off and on."""
    done = subprocess.run(["btmgmt", "--index", "0", "power", "on" if on else "off"], capture_output=True, text=True)
    print(f"  ..   btmgmt power {'on' if on else 'off'}: {done.returncode} {done.stdout.strip()!r}", flush=True)


def power_cycle() -> None:
    adapter_power(False)
    time.sleep(3.0)
    adapter_power(True)


def restart_bluez() -> None:
    """Stop bluetoothd (SIGTERM) and start it again, as a system update or a crash and restart would."""
    pids = subprocess.run(["pidof", "bluetoothd"], capture_output=True, text=True).stdout.split()
    for pid in pids:
        os.kill(int(pid), signal.SIGTERM)
    wait_for(lambda: not subprocess.run(["pidof", "bluetoothd"], capture_output=True).stdout, 10.0, "bluetoothd to end")
    with open("/mnt/share/out/bluetoothd.log", "a") as log:
        subprocess.Popen(["/usr/libexec/bluetooth/bluetoothd", "-n"], stdout=log, stderr=subprocess.STDOUT)
    print(f"  ..   bluetoothd {pids} stopped and started again; adapter {power_on_adapter()} powered", flush=True)


def live_until_it_gives_up(scenario: Scenario, *emulator_options: str) -> tuple[Imuhold, Finished, str]:
    """``imuhold live --headless --give-up-after`` against an emulated sensor run with ``emulator_options``, until
    imuhold ends; returns imuhold, how it ended, and what the emulator said."""
    emulator = Emulator.start(scenario.workdir, "imuhold-v1", *emulator_options)
    imuhold = Imuhold(scenario.workdir)
    start = time.monotonic()
    live = ("live", "--headless", "--sensor", SENSOR_ADDRESS, "--profile", "imuhold-v1")
    process = imuhold.start(*live, "--give-up-after", f"{GIVE_UP_S:g}")
    try:
        done = imuhold.finished(process, start, timeout_s=STREAM_TIMEOUT_S)
    finally:
        said = emulator.stop()
    return imuhold, done, said


def refused_connections_give_up(scenario: Scenario) -> None:
    """A sensor that advertises but drops every connection: imuhold keeps trying, then gives up with status 3."""
    _, done, said = live_until_it_gives_up(scenario, "--refuse-connections")
    print(done.stdout[-2000:], done.stderr[-2000:], said[-500:], sep="\n", flush=True)
    refused = re.search(r"over (\d+) connections \((\d+) refused\)", said)
    scenario.note(sensor_refused=int(refused.group(2)) if refused else 0, wall_to_give_up_s=round(done.wall_s, 1))
    scenario.check(refused is not None and int(refused.group(2)) >= 1, "the sensor refused connections")
    scenario.check(done.status == 3, f"imuhold live gave up with the documented status 3 ({done.status})")
    gone = GONE_LINE.search(done.stderr)
    scenario.check(gone is not None and SENSOR_ADDRESS in gone.group(1), f"a clear message: {done.stderr.strip()!r}")
    scenario.check("Traceback" not in done.stderr, "no traceback")
    scenario.check("link: connected" not in done.stdout, "imuhold never said connected")


def paired_sensor_among_two(scenario: Scenario) -> None:
    """Two sensors of the same kind and name advertise: pairing without an address refuses to guess, pairing by
    address remembers one, and ``live`` streams from that one only."""
    # standing still longer than the others: pairing twice takes a while, and imuhold must calibrate standing
    still = ("--still", f"{PAIRING_STILL_S:g}")
    emulator = Emulator.start(scenario.workdir, "imuhold-v1", "--decoy", DECOY_ADDRESS, *still)
    imuhold = Imuhold(scenario.workdir)
    try:
        guess = imuhold.run("pair", "--timeout", "5")
        print(guess.stdout, guess.stderr, sep="\n", flush=True)
        scenario.check(guess.status == 1 and "several sensors found" in guess.stderr, "pair without address refuses")
        scenario.check(DECOY_ADDRESS in guess.stderr and SENSOR_ADDRESS in guess.stderr, "and lists both sensors")
        paired = imuhold.run("pair", SENSOR_ADDRESS, "--timeout", "5")
        print(paired.stdout, paired.stderr, sep="\n", flush=True)
        scenario.check(paired.status == 0 and f"({SENSOR_ADDRESS})" in paired.stdout, "pair by address works")
    except BaseException:
        emulator.stop()
        raise
    end_s = PAIRING_ROUTINE.squats[0][1] + 2.0
    emulator, imuhold, done = live_until(
        scenario, "imuhold-v1", end_s, emulator=emulator, imuhold=imuhold, paired=True, rate_hz=RATE_HZ
    )
    decoy = re.search(r"decoy at (\S+): (\d+) connections", emulator.output())
    scenario.check(decoy is not None and decoy.group(2) == "0", f"the decoy was never connected: {decoy}")
    flow = traffic(scenario, emulator, scenario.workdir / "live.imuhold")
    link = link_numbers(scenario, done.stdout)
    scenario.check(flow.lost == 0 and link.get("drops") == 0, f"no loss, no drop ({flow.lost}, {link.get('drops')})")
    session = stored_session(scenario, imuhold)
    scenario.check(session["session"].get("sensor", "").endswith(SENSOR_ADDRESS), f"stored: {session['session']}")
    check_holds(scenario, session, PAIRING_ROUTINE.expected_holds(flow.first_t_s, flow.last_t_s, flow.gaps))


def vanished_sensor_gives_up(scenario: Scenario) -> None:
    vanish_s = ROUTINE.squats[0][1] + 3.0
    imuhold, done, said = live_until_it_gives_up(scenario, "--vanish-at", f"{vanish_s}")
    print(done.stdout[-2000:], done.stderr, sep="\n", flush=True)
    scenario.check("vanishing" in said, "the sensor vanished")
    scenario.check(done.status == 3, f"imuhold live gave up with the documented status 3 ({done.status})")
    gone = GONE_LINE.search(done.stderr)
    scenario.check(gone is not None and SENSOR_ADDRESS in gone.group(1), f"a clear message: {done.stderr.strip()!r}")
    if gone is not None:
        scenario.note(gone_for_s=int(gone.group(2)))
        scenario.check(int(gone.group(2)) >= GIVE_UP_S, f"gone at least --give-up-after {GIVE_UP_S:g} s")
    scenario.check("saved as session" in done.stdout, "imuhold says the session was saved")
    session = stored_session(scenario, imuhold)
    scenario.check(session["session"].get("end_reason") == "link_lost", f"stored as link_lost: {session['session']}")
    scenario.check(sum(len(s["holds"]) for s in session["squats"]) == 1, "the hold before the sensor went is stored")


SCENARIOS: dict[str, Callable[[Scenario], None]] = {
    "scan": scan_names_the_sensor,
    "live-imuhold-v1": live_matches_the_routine("imuhold-v1"),
    "live-witmotion-ble5": live_matches_the_routine("witmotion-ble5"),
    "drop-mid-hold": drops_reconnect(1, 0.5),
    "drops-in-one-hold": drops_reconnect(2, 0.2, 0.5, 0.8),
    "out-of-range-10s": between_squats(OUTAGE_S, "--away-at", f"{OUTAGE_S}", "--away-for", f"{AWAY_S:g}"),
    "adapter-power-cycle": between_squats(OUTAGE_S, actions=((OUTAGE_S, power_cycle),)),
    "bluetoothd-restart": between_squats(OUTAGE_S, actions=((OUTAGE_S, restart_bluez),)),
    "sensor-vanishes": vanished_sensor_gives_up,
    "refuses-connections": refused_connections_give_up,
    "two-sensors-paired-one": paired_sensor_among_two,
}


def attempt(name: str, play: Callable[[Scenario], None], out: Path) -> dict[str, Any]:
    """Play one scenario, once; its checks, failures and numbers (work dir and logs under ``name``)."""
    print(f"imuhold-e2e: scenario {name}", flush=True)
    scenario = Scenario(name, out)
    start = time.monotonic()
    try:
        play(scenario)
    except Exception:
        scenario.check(False, f"ran to the end:\n{traceback.format_exc()}")
    wall_s = round(time.monotonic() - start, 1)
    shutil.copytree(scenario.workdir, scenario.out, dirs_exist_ok=True)
    status = "passed" if not scenario.failures else "failed"
    print(f"imuhold-e2e: scenario {name} {status} in {wall_s} s", flush=True)
    return {"name": name, "status": status, "wall_s": wall_s, "failures": scenario.failures, **scenario.numbers}


DBUS_TRACED = (
    "type='method_call',interface='org.bluez.Device1'",
    "type='method_call',interface='org.bluez.GattCharacteristic1'",
    "type='method_call',interface='org.bluez.Adapter1'",
    "type='signal',interface='org.freedesktop.DBus.Properties',arg0='org.bluez.Device1'",
    "type='signal',interface='org.freedesktop.DBus.Properties',arg0='org.bluez.Adapter1'",
    "type='signal',interface='org.freedesktop.DBus.ObjectManager'",
    "type='signal',interface='org.freedesktop.DBus',member='NameOwnerChanged'",
    "type='error'",
)
"""What dbus-monitor keeps: calls to BlueZ, connection and adapter changes, D-Bus clients coming and going, errors;
not the notifications themselves (100 a second, two signals each when doubled: the whole bus slowed the VM)."""


def start_traces(out: Path) -> list[subprocess.Popen]:
    """btmon writing every HCI packet to OUT/btmon.snoop (binary BTSnoop; ``btmon -r`` reads it) and dbus-monitor
    writing the BlueZ calls and signals of DBUS_TRACED to OUT/dbus-monitor.txt, for the whole boot; bleak's debug
    log goes to each scenario's imuhold.err."""
    os.environ["BLEAK_LOGGING"] = "1"  # bleak's debug log in every imuhold.err (imuhold runs with this environment)
    tracers = [subprocess.Popen(["btmon", "-w", str(out / "btmon.snoop")], stdout=subprocess.DEVNULL)]
    with (out / "dbus-monitor.txt").open("w") as dbus_log:
        tracers.append(
            subprocess.Popen(["dbus-monitor", "--system", *DBUS_TRACED], stdout=dbus_log, stderr=subprocess.STDOUT)
        )
    time.sleep(1.0)
    return tracers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=None)
    parser.add_argument("--trace", action="store_true", help="HCI (btmon) and D-Bus (dbus-monitor) traces to OUT")
    parser.add_argument("--repeat", type=int, default=1, help="play each scenario this many times (hunting a flake)")
    args = parser.parse_args()
    tracers = start_traces(args.out) if args.trace else []
    runs = [
        (name if args.repeat == 1 else f"{name}-{n}", play)
        for name, play in SCENARIOS.items()
        if not args.only or name in args.only
        for n in range(1, args.repeat + 1)
    ]
    results = [attempt(name, play, args.out) for name, play in runs]  # one attempt each: no retry hides a failure
    for tracer in tracers:
        stop(tracer)
    passed = sum(r["status"] == "passed" for r in results)
    (args.out / "results.json").write_text(json.dumps({"scenarios": results}, indent=2))
    print(f"{passed} passed, {len(results) - passed} failed", flush=True)
    return 0 if results and passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Checks a DIY sensor against the open profile's requirements R1…R23 (firmware_specs/imuhold-profile.md §13).

Auto checks run over BLE unaided; "still" checks need ``still=True`` (sensor lying still); manual ones are listed
for the developer. Each check reports pass, fail, warn (a SHOULD that is not met), skip or manual.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from imuhold.ble.client import Connector, Discovered, GattClient
from imuhold.ble.errors import BleError
from imuhold.protocol import imuhold_v1 as v1
from imuhold.protocol.gatt import BATTERY_LEVEL_CHAR_UUID, DEVICE_INFO_CHARS
from imuhold.protocol.imuhold_v1_control import (
    ControlResponse,
    Info,
    Opcode,
    Status,
    set_rate_command,
    start_command,
    stop_command,
)

RESPONSE_TIMEOUT_S = 1.0
FIRST_FRAME_S = 1.0
STOP_QUIET_S = 0.2
REQUIREMENTS: dict[str, tuple[str, str, str]] = {
    "R1": ("MUST", "auto", "service UUID in the advertising data"),
    "R2": ("SHOULD", "auto", "local name starts with imuhold-"),
    "R3": ("MUST", "auto", "motion, control point and info characteristics with the right properties"),
    "R4": ("MUST", "auto", "works without pairing or encryption"),
    "R5": ("MUST", "auto", "info is at least 11 bytes, profile major 1"),
    "R6": ("MUST", "auto", "info is consistent"),
    "R7": ("MUST", "auto", "Device Information with Firmware Revision"),
    "R8": ("SHOULD", "auto", "Battery Level in 0–100"),
    "R9": ("MUST", "auto", "one response per control write, within 1 s"),
    "R10": ("MUST", "auto", "unknown opcode gets UNSUPPORTED_OPCODE"),
    "R11": ("MUST", "auto", "invalid commands get INVALID_PARAMETER"),
    "R12": ("MUST", "auto", "SET_RATE min and max succeed and show in info"),
    "R13": ("MUST", "auto", "START of each supported type streams that type within 1 s"),
    "R14": ("MUST", "auto", "notifications are whole 20-byte frames within the MTU"),
    "R15": ("MUST", "auto", "no type 0x00, zero reserved bytes, only the started type"),
    "R16": ("MUST", "auto", "seq advances by one; loss below 1 % (SHOULD)"),
    "R17": ("MUST", "auto", "t_us increases; median interval within 3 % of 1/rate"),
    "R18": ("MUST", "auto", "STOP stops within 200 ms; STOP idle and START streaming succeed"),
    "R19": ("MUST", "auto", "quaternion norm within 2 %"),
    "R20": ("MUST", "still", "at rest: |a| = 1000 ± 50 mg, gravity rotated by q points up"),
    "R21": ("SHOULD", "still + manual", "at rest: gyro below 3 °/s; counter-clockwise about z gives +gz"),
    "R22": ("MUST", "auto", "idle after reconnect; START works again"),
    "R23": ("MUST", "manual", "t_us wrap handled (a build starting near 0xFC000000)"),
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one requirement: "pass", "fail", "warn", "skip" or "manual", and why."""

    rid: str
    outcome: str
    detail: str = ""

    @property
    def level(self) -> str:
        return REQUIREMENTS[self.rid][0]

    @property
    def title(self) -> str:
        return REQUIREMENTS[self.rid][2]


@dataclass(slots=True)
class _Capture:
    """Notifications seen on the control point and the motion characteristic, with host arrival times."""

    responses: list[bytes] = field(default_factory=list)
    motion: list[tuple[float, bytes]] = field(default_factory=list)
    response_event: asyncio.Event = field(default_factory=asyncio.Event)

    def on_notify(self, uuid: str, data: bytes) -> None:
        if uuid == v1.CONTROL_CHAR_UUID:
            self.responses.append(bytes(data))
            self.response_event.set()
        elif uuid == v1.MOTION_CHAR_UUID:
            self.motion.append((asyncio.get_running_loop().time(), bytes(data)))


class ConformanceRun:
    """One run against one device; ``results`` fills in as checks complete."""

    def __init__(
        self, connector: Connector, address: str, *, seconds: float = 60.0, still: bool = False, scan_s: float = 3.0
    ) -> None:
        self.connector = connector
        self.scan_s = scan_s
        self.address = address
        self.seconds = seconds
        self.still = still
        self.results: dict[str, CheckResult] = {}
        self.capture = _Capture()
        self.client: GattClient | None = None
        self.info: Info | None = None
        self.response_problems: list[str] = []
        self.say: Callable[[str], None] = lambda _line: None

    def result(self, rid: str, ok: bool | None, detail: str = "", *, fail_as: str = "") -> None:
        if ok is None:
            outcome = "skip"
        elif ok:
            outcome = "pass"
        else:
            outcome = fail_as or ("fail" if REQUIREMENTS[rid][0] == "MUST" else "warn")
        self.results.setdefault(rid, CheckResult(rid, outcome, detail))

    async def run(self) -> list[CheckResult]:
        await self._advertising()
        client = await self.connector.connect(self.address, lambda: None, 10.0)
        self.client = client
        try:
            if await self._gatt(client):
                await self._control(client)
                await self._streaming(client)
                await self._reconnect()
        finally:
            if self.client is not None:
                await self.client.disconnect()
        worked = all(self.results.get(r, CheckResult(r, "skip")).outcome == "pass" for r in ("R3", "R5", "R13"))
        self.result("R4", worked, "" if worked else "basic access failed (see R3, R5, R13)")
        self.result("R23", None, "manual: build with t_us starting near 0xFC000000 and stream across the wrap")
        self.results["R23"] = CheckResult("R23", "manual", self.results["R23"].detail)
        if "R21" in self.results and self.results["R21"].outcome == "pass":
            self.results["R21"] = CheckResult("R21", "manual", self.results["R21"].detail + "; now turn it CCW")
        for rid in REQUIREMENTS:
            self.result(rid, None, "not reached")
        return [self.results[rid] for rid in REQUIREMENTS]

    # -- R1, R2 --------------------------------------------------------------------------------------------------
    async def _advertising(self) -> None:
        found: Discovered | None = None
        for device in await self.connector.scan(self.scan_s):
            if device.address.upper() == self.address.upper():
                found = device
        if found is None:
            self.result("R1", False, "the device was not seen advertising")
            self.result("R2", None, "not seen")
            return
        uuids = found.advertised_uuids if found.advertised_uuids is not None else found.service_uuids
        where = "advertising data" if found.advertised_uuids is not None else "advertisement (with scan response)"
        self.result(
            "R1", v1.SERVICE_UUID in uuids, f"service UUID {'in' if v1.SERVICE_UUID in uuids else 'not in'} the {where}"
        )
        self.result("R2", (found.name or "").startswith("imuhold-"), f"name {found.name!r}")

    # -- R3, R5–R8 -----------------------------------------------------------------------------------------------
    async def _gatt(self, client: GattClient) -> bool:
        chars = client.characteristics()
        wanted = {
            v1.MOTION_CHAR_UUID: {"notify"},
            v1.CONTROL_CHAR_UUID: {"write", "notify"},
            v1.INFO_CHAR_UUID: {"read"},
        }
        problems = [
            f"{uuid[:8]} lacks {sorted(props - (chars[uuid].properties if uuid in chars else set()))}"
            for uuid, props in wanted.items()
            if uuid not in chars or not props <= chars[uuid].properties
        ]
        problems += [
            f"{u[:8]} has no CCCD" for u in wanted if u in chars and "notify" in wanted[u] and not chars[u].has_cccd
        ]
        self.result("R3", not problems, "; ".join(problems))
        if v1.INFO_CHAR_UUID not in chars:
            return False
        raw = await client.read(v1.INFO_CHAR_UUID)
        try:
            self.info = Info.parse(raw)
        except ValueError as exc:
            self.result("R5", False, str(exc))
            return False
        self.result("R5", True, f"{len(raw)} bytes, profile {self.info.profile_major}.{self.info.profile_minor}")
        problems = self.info.problems()
        self.result("R6", not problems, "; ".join(problems))
        firmware = await self._read_text(client, DEVICE_INFO_CHARS["firmware"])
        extra = [k for k in ("manufacturer", "model") if DEVICE_INFO_CHARS[k] not in chars]
        detail = f"firmware {firmware!r}" + (f"; SHOULD also have {', '.join(extra)}" if extra else "")
        self.result("R7", firmware is not None, detail)
        battery = await client.read(BATTERY_LEVEL_CHAR_UUID) if BATTERY_LEVEL_CHAR_UUID in chars else b""
        self.result("R8", len(battery) >= 1 and battery[0] <= 100, f"battery {battery[0] if battery else 'absent'}")
        await client.start_notify(v1.CONTROL_CHAR_UUID, self.capture.on_notify)
        await client.start_notify(v1.MOTION_CHAR_UUID, self.capture.on_notify)
        return not problems

    async def _read_text(self, client: GattClient, uuid: str) -> str | None:
        if uuid not in client.characteristics():
            return None
        return (await client.read(uuid)).decode("utf-8", "replace")

    # -- R9–R12 --------------------------------------------------------------------------------------------------
    async def command(self, data: bytes) -> ControlResponse | None:
        """Write ``data`` and wait for its one response (R9 bookkeeping)."""
        assert self.client is not None
        capture = self.capture
        before = len(capture.responses)
        capture.response_event.clear()
        await self.client.write(v1.CONTROL_CHAR_UUID, data, True)
        try:
            async with asyncio.timeout(RESPONSE_TIMEOUT_S):
                await capture.response_event.wait()
        except TimeoutError:
            self.response_problems.append(f"no response to {data.hex(' ')} within 1 s")
            return None
        await asyncio.sleep(0.05)  # a second response would arrive by now
        got = capture.responses[before:]
        if len(got) > 1:
            self.response_problems.append(f"{len(got)} responses to {data.hex(' ')}")
        try:
            response = ControlResponse.parse(got[0])
        except ValueError as exc:
            self.response_problems.append(f"bad response to {data.hex(' ')}: {exc}")
            return None
        if response.request_opcode != data[0]:
            self.response_problems.append(f"response to {data.hex(' ')} echoes 0x{response.request_opcode:02x}")
        return response

    async def _control(self, client: GattClient) -> None:
        info = self.info
        assert info is not None
        unknown = await self.command(b"\x7f")
        self.result("R10", unknown == ControlResponse(0x7F, Status.UNSUPPORTED_OPCODE), f"got {unknown}")
        invalid = [bytes([Opcode.SET_RATE, 0, 0]), bytes.fromhex("03 64"), bytes([Opcode.START, 0])]
        if info.max_rate_hz < 1000:
            invalid.append(set_rate_command(info.max_rate_hz + 1))
        unsupported = next((t for t in range(1, 16) if not info.supports(t)), None)
        if unsupported is not None:
            invalid.append(start_command(unsupported))
        wrong = []
        for data in invalid:
            response = await self.command(data)
            if response is None or response.status != Status.INVALID_PARAMETER:
                wrong.append(f"{data.hex(' ')} → {response}")
        self.result("R11", not wrong, "; ".join(wrong))
        wrong = []
        for rate in (info.min_rate_hz, info.max_rate_hz):
            response = await self.command(set_rate_command(rate))
            now = Info.parse(await client.read(v1.INFO_CHAR_UUID))
            applied = response.rate_hz if response is not None else None
            if (
                response is None
                or not response.ok
                or applied is None
                or not info.min_rate_hz <= applied <= info.max_rate_hz
            ):
                wrong.append(f"SET_RATE {rate} → {response}")
            elif now.rate_hz != applied:
                wrong.append(f"SET_RATE {rate}: applied {applied} but info says {now.rate_hz}")
        self.result("R12", not wrong, "; ".join(wrong))
        nominal = min(max(100, info.min_rate_hz), info.max_rate_hz)
        await self.command(set_rate_command(nominal))

    # -- R13–R21 -------------------------------------------------------------------------------------------------
    async def _streaming(self, client: GattClient) -> None:
        info = Info.parse(await client.read(v1.INFO_CHAR_UUID))
        capture = self.capture
        wrong: list[str] = []
        for frame_type in sorted(info.frame_types & v1.FRAME_TYPES):
            start = len(capture.motion)
            response = await self.command(start_command(frame_type))
            await asyncio.sleep(FIRST_FRAME_S)
            frames = [f for _, n in capture.motion[start:] for f in _frames(n)]
            active = Info.parse(await client.read(v1.INFO_CHAR_UUID)).active_frame_type
            if response is None or not response.ok:
                wrong.append(f"START {frame_type} → {response}")
            elif not any(f[0] == frame_type for f in frames):
                wrong.append(f"no type {frame_type} frame within 1 s")
            elif active != frame_type:
                wrong.append(f"info active type {active} while streaming {frame_type}")
        self.result("R13", not wrong, "; ".join(wrong))
        main_type = v1.FRAME_QUAT_ACC if info.supports(v1.FRAME_QUAT_ACC) else v1.FRAME_GYR_ACC
        restart = await self.command(start_command(main_type))
        start = len(capture.motion)
        self.say(f"streaming type 0x{main_type:02x} for {self.seconds:g} s …")
        await asyncio.sleep(self.seconds)
        stream = capture.motion[start:]
        stop = await self.command(stop_command())
        stopped_at = asyncio.get_running_loop().time()
        await asyncio.sleep(STOP_QUIET_S + 0.3)
        late = [t for t, _ in capture.motion if t > stopped_at + STOP_QUIET_S]
        idle_stop = await self.command(stop_command())
        ok = bool(restart and restart.ok and stop and stop.ok and idle_stop and idle_stop.ok and not late)
        detail = f"{len(late)} notifications after STOP" if late else ""
        self.result("R18", ok, detail or ("" if ok else f"START {restart}, STOP {stop}, idle STOP {idle_stop}"))
        self._check_stream(stream, main_type, Info.parse(await client.read(v1.INFO_CHAR_UUID)).rate_hz, client.mtu)
        self.result("R9", not self.response_problems, "; ".join(self.response_problems[:3]))

    def _check_stream(self, stream: list[tuple[float, bytes]], frame_type: int, rate_hz: int, mtu: int) -> None:
        sizes_bad = [len(n) for _, n in stream if not n or len(n) % v1.FRAME_SIZE]
        over_mtu = [len(n) for _, n in stream if len(n) > mtu - 3]
        detail = f"bad lengths {sorted(set(sizes_bad))}" if sizes_bad else ""
        if not sizes_bad and over_mtu:
            detail = f"notifications up to {max(over_mtu)} bytes exceed MTU {mtu} − 3 as the host reports it"
        self.result("R14", bool(stream) and not sizes_bad, detail or ("" if stream else "no notifications"))
        frames = [f for _, n in stream for f in _frames(n)]
        zero = sum(f[0] == 0 for f in frames)
        reserved = sum(f[0] == v1.FRAME_GYR_ACC and f[12:14] != b"\x00\x00" for f in frames)
        other = sum(f[0] in v1.FRAME_TYPES and f[0] != frame_type for f in frames)
        self.result(
            "R15",
            frames and not (zero or reserved or other),
            f"type 0: {zero}, reserved ≠ 0: {reserved}, other type: {other}",
        )
        parsed = [v1.parse_frame(f) for f in frames if f[0] == frame_type]
        lost = backwards = 0
        for a, b in itertools.pairwise(parsed):
            step = (b.seq - a.seq) % v1.SEQ_WRAP
            if step == 0 or step >= v1.SEQ_WRAP // 2:
                backwards += 1
            else:
                lost += step - 1
        loss = lost / (len(parsed) + lost) if parsed else 1.0
        self.result(
            "R16",
            bool(parsed) and not backwards,
            f"{len(parsed)} frames, {lost} lost ({100 * loss:.2f} %), {backwards} repeated or backwards",
        )
        if parsed and not backwards and loss >= 0.01:
            self.results["R16"] = CheckResult("R16", "warn", f"loss {100 * loss:.2f} % (SHOULD be below 1 %)")
        intervals = [
            ((b.t_us - a.t_us) % v1.T_US_WRAP, (b.seq - a.seq) % v1.SEQ_WRAP) for a, b in itertools.pairwise(parsed)
        ]
        single = [dt for dt, step in intervals if step == 1]
        period_us = 1e6 / rate_hz
        median = statistics.median(single) if single else math.nan
        off_gaps = [dt for dt, step in intervals if step > 1 and abs(dt / (step * period_us) - 1) > 0.5]
        not_increasing = sum(dt == 0 or dt >= v1.T_US_WRAP // 2 for dt, _ in intervals)
        ok = bool(single) and abs(median / period_us - 1) <= 0.03 and not off_gaps and not not_increasing
        self.result(
            "R17", ok, f"median interval {median:.0f} µs for {period_us:.0f} µs; {not_increasing} not increasing"
        )
        quats = [p.quat_q14 for p in parsed if p.quat_q14 is not None]
        bad_norm = sum(abs(math.sqrt(sum(c * c for c in q)) / v1.QUAT_SCALE - 1) > 0.02 for q in quats)
        self.result(
            "R19",
            None if not quats else not bad_norm,
            f"{bad_norm} of {len(quats)} outside 2 %" if quats else "no type 0x01 frames",
        )
        self._check_rest(parsed)

    def _check_rest(self, parsed: list[v1.MotionFrame]) -> None:
        if not self.still:
            self.result("R20", None, "needs the sensor lying still: run with --still")
            self.result("R21", None, "needs the sensor lying still: run with --still")
            return
        from imuhold.protocol.rotation import rotate

        wrong = []
        for frame in parsed:
            norm = math.sqrt(sum(a * a for a in frame.acc_mg))
            if abs(norm - 1000) > 50:
                wrong.append(f"|a| = {norm:.0f} mg")
            elif frame.quat_q14 is not None:
                q = tuple(c / v1.QUAT_SCALE for c in frame.quat_q14)
                up = rotate(q, tuple(float(a) for a in frame.acc_mg))  # type: ignore[arg-type]
                angle = math.degrees(math.acos(max(-1.0, min(1.0, up[2] / math.sqrt(sum(u * u for u in up))))))
                if angle > 5:
                    wrong.append(f"gravity {angle:.0f}° from up")
        self.result("R20", bool(parsed) and not wrong, f"{len(wrong)} of {len(parsed)} frames: {wrong[:1]}")
        gyros = [g for f in parsed if f.gyr_lsb is not None for g in f.gyr_lsb]
        fast = [g / 16 for g in gyros if abs(g / 16) >= 3]
        self.result(
            "R21",
            None if not gyros else not fast,
            f"{len(fast)} gyro readings ≥ 3 °/s" if gyros else "no type 0x02 frames",
        )

    # -- R22 -----------------------------------------------------------------------------------------------------
    async def _reconnect(self) -> None:
        assert self.client is not None
        await self.command(start_command(v1.FRAME_QUAT_ACC if self.info and self.info.supports(1) else 2))
        await self.client.disconnect()
        self.client = None
        await asyncio.sleep(0.5)
        try:
            client = await self.connector.connect(self.address, lambda: None, 10.0)
        except BleError as exc:
            self.result("R22", False, f"reconnecting failed: {exc}")
            return
        self.client = client
        self.capture = _Capture()
        await client.start_notify(v1.CONTROL_CHAR_UUID, self.capture.on_notify)
        await client.start_notify(v1.MOTION_CHAR_UUID, self.capture.on_notify)
        await asyncio.sleep(0.5)
        idle = not self.capture.motion and Info.parse(await client.read(v1.INFO_CHAR_UUID)).active_frame_type == 0
        response = await self.command(start_command(v1.FRAME_QUAT_ACC if self.info and self.info.supports(1) else 2))
        await asyncio.sleep(0.5)
        started = bool(response and response.ok and self.capture.motion)
        await self.command(stop_command())
        detail = "" if idle else "motion arrived (or info shows streaming) before START"
        self.result("R22", idle and started, detail or ("" if started else "START after reconnect did not stream"))


def _frames(notification: bytes) -> list[bytes]:
    if not notification or len(notification) % v1.FRAME_SIZE:
        return []
    return [notification[i : i + v1.FRAME_SIZE] for i in range(0, len(notification), v1.FRAME_SIZE)]


def passed(results: list[CheckResult]) -> bool:
    """True when no MUST failed (SHOULD failures are warnings)."""
    return not any(r.outcome == "fail" for r in results)

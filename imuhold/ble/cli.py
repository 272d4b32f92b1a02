"""The Bluetooth commands: scan, pair, live (headless), conformance and emulate. Heavy imports stay inside them."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from imuhold.errors import ImuholdError
from imuhold.review.commands import data_dir_option

SCAN_S = 5.0


async def open_connector():
    """The real radio (bleak). Tests replace this with a bumble world."""
    from imuhold.ble.bleak_backend import BleakConnector

    return BleakConnector()


def _fail(exc: ImuholdError) -> None:
    click.echo(f"imuhold: {exc.title}: {exc}", err=True)
    sys.exit(1)


def _run(coro) -> object:
    try:
        return asyncio.run(coro)
    except ImuholdError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    return None


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def _known_profiles() -> list[str]:
    from imuhold.protocol import PROFILES

    return sorted(PROFILES)


@click.command()
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=SCAN_S, show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list devices imuhold does not recognise.")
def scan(timeout_s: float, show_all: bool) -> None:
    """List nearby BLE motion sensors imuhold recognises: name, address, profile, RSSI."""

    async def go():
        connector = await open_connector()
        return await connector.scan(timeout_s)

    found = _run(go()) or []
    shown = [d for d in found if show_all or d.profile]
    if not shown:
        click.echo(f"No supported sensor found in {timeout_s:g} s. Is it switched on and not connected elsewhere?")
        sys.exit(1)
    click.echo(f"{'name':24} {'address':20} {'profile':16} {'RSSI':>5}")
    for d in shown:
        rssi = "" if d.rssi is None else f"{d.rssi}"
        click.echo(f"{(d.name or '?')[:24]:24} {d.address:20} {d.profile or '-':16} {rssi:>5}")


async def _identify(connector, address: str | None, profile: str | None, timeout_s: float):
    """(address, name, profile) of the sensor to use: scanned for when the address or profile is not given."""
    from imuhold.ble.deferred import identify

    return await identify(connector, address, profile, timeout_s)


@click.command()
@click.argument("address", required=False)
@click.option("--profile", type=click.Choice(_known_profiles()), help="Skip recognition and use this profile.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=SCAN_S, show_default=True)
def pair(address: str | None, profile: str | None, timeout_s: float) -> None:
    """Connect to a sensor (the only one nearby, or ADDRESS), read its details, and remember it.

    Without ADDRESS on a terminal, opens the pair screen: a live scan list to choose the sensor from.
    """
    from imuhold.ble.device_info import DeviceInfo
    from imuhold.ble.pairing import check_and_read
    from imuhold.config import PairedSensor, load_config, save_config, with_sensor

    if address is None and _on_terminal():
        _pair_screen(profile)
        return

    async def go() -> tuple[str, str, str, DeviceInfo]:
        connector = await open_connector()
        chosen, name, chosen_profile = await _identify(connector, address, profile, timeout_s)
        return chosen, name, chosen_profile, await check_and_read(connector, chosen, chosen_profile)

    result = _run(go())
    if result is None:
        sys.exit(1)
    chosen, name, chosen_profile, info = result
    try:
        path = save_config(with_sensor(load_config(), PairedSensor(chosen, name, chosen_profile)))
    except ImuholdError as exc:
        _fail(exc)
    click.echo(f"paired {name or chosen} ({chosen}), profile {chosen_profile}: {info.summary()}")
    click.echo(f"saved to {path}")


def _pair_screen(profile: str | None) -> None:
    """The pair screen (live scan list); prints what was paired once it closes."""
    from imuhold.config import data_dir
    from imuhold.tui.logfile import log_to_file
    from imuhold.tui.pair import make_pair_app

    log_to_file(data_dir())
    paired = make_pair_app(open_connector, profile).run()
    if paired is None:
        click.echo("nothing paired", err=True)
        sys.exit(1)
    sensor = paired.sensor
    click.echo(
        f"paired {sensor.name or sensor.address} ({sensor.address}), profile {sensor.profile}: {paired.info.summary()}"
    )
    click.echo(f"saved to {paired.path}")


@click.command()
@click.option("--sensor", "address", help="Address of the sensor (default: the paired one).")
@click.option("--profile", type=click.Choice(_known_profiles()), help="Profile of --sensor (default: recognised).")
@click.option("--rate", "rate_hz", type=float, default=None, help="Sample rate to ask for (profile default).")
@click.option("--headless", is_flag=True, help="Print events and link state instead of the training screen.")
@click.option("--record", "record_path", type=click.Path(dir_okay=False, path_type=Path), help="Record to FILE.")
@click.option("--seconds", type=click.FloatRange(min=0.1), default=None, help="Stop after this many seconds.")
@data_dir_option
@click.option("--no-save", is_flag=True, help="Training screen: do not store the session.")
def live(
    address: str | None,
    profile: str | None,
    rate_hz: float | None,
    headless: bool,
    record_path: Path | None,
    seconds: float | None,
    data_dir: Path | None,
    no_save: bool,
) -> None:
    """Train with a real sensor: connect (reconnecting on drops), calibrate, detect and time holds."""
    from imuhold.ble.link import SensorLink
    from imuhold.config import load_config
    from imuhold.live import LiveSession
    from imuhold.pipeline import Pipeline
    from imuhold.protocol import get_profile
    from imuhold.recording import RecordingHeader, RecordingWriter
    from imuhold.report import event_line, summary_lines

    if not headless and (record_path is not None or seconds is not None):
        raise click.UsageError("--record and --seconds go with --headless (the training screen stores the session)")
    try:
        config = load_config()
    except ImuholdError as exc:
        _fail(exc)
    paired = config.sensor
    if address is None and paired is None:
        click.echo("imuhold: No sensor: pair one first (imuhold pair) or name it with --sensor ADDRESS", err=True)
        sys.exit(1)
    if address is None and paired is not None:
        address, profile = paired.address, profile or paired.profile or None
    elif paired is not None and address is not None and paired.address.upper() == address.upper():
        profile = profile or paired.profile or None
    if not headless:
        _live_screen(address, profile, rate_hz, data_dir, save=not no_save)
        return
    state: dict[str, object] = {}

    async def go() -> None:
        connector = await open_connector()
        chosen, _, chosen_profile = await _identify(connector, address, profile, SCAN_S)
        try:
            link = SensorLink(chosen, chosen_profile, connector, rate_hz=rate_hz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--rate") from None
        profile_obj = get_profile(chosen_profile)
        pipeline = Pipeline(profile_obj, link.rate_hz, config.detector_params())
        state["pipeline"] = pipeline
        writer = None
        if record_path is not None:
            header = RecordingHeader(chosen_profile, link.rate_hz, extra={"sensor": {"address": chosen}})
            writer = RecordingWriter(record_path, header)
        session = LiveSession(link, pipeline, click.echo, writer)
        click.echo(f"imuhold live: {chosen_profile} sensor {chosen}; stand still to calibrate")
        try:
            if seconds is None:
                await session.run()
            else:
                async with asyncio.timeout(seconds):
                    await session.run()
        except TimeoutError:
            pass
        finally:
            if writer is not None:
                writer.close()
        state["loss_pct"] = session.loss_pct

    _run(go())
    pipeline = state.get("pipeline")
    if pipeline is None:
        sys.exit(1)
    for event in pipeline.finish():  # type: ignore[attr-defined]
        click.echo(event_line(event))
    click.echo("")
    for line in summary_lines(pipeline.analysis()):  # type: ignore[attr-defined]
        click.echo(line)
    click.echo(f"loss {state.get('loss_pct', 0.0):.1f} %")


def _live_screen(address: str, profile: str | None, rate_hz: float | None, data_dir, save: bool) -> None:
    """The training screen on the sensor at ``address``; it is searched for and connected inside the app."""
    from imuhold.ble.deferred import DeferredLink
    from imuhold.cli import _run_tui

    if profile is None:
        raise click.UsageError(f"the protocol of {address} is not known: pass --profile, or pair it (imuhold pair)")
    try:
        source = DeferredLink(open_connector, address, profile, rate_hz=rate_hz, scan_s=SCAN_S)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rate") from None
    _run_tui(source, None, data_dir, save=save)


@click.command()
@click.argument("address")
@click.option("--seconds", type=click.FloatRange(min=1.0), default=60.0, show_default=True, help="Streaming test.")
@click.option("--still", is_flag=True, help="The sensor lies still: also run the at-rest checks (R20, R21).")
def conformance(address: str, seconds: float, still: bool) -> None:
    """Check a DIY sensor against the open imuhold profile (R1…R23 of firmware_specs/imuhold-profile.md)."""
    from imuhold.ble.conformance import ConformanceRun, passed

    async def go():
        run = ConformanceRun(await open_connector(), address, seconds=seconds, still=still)
        run.say = click.echo
        return await run.run()

    results = _run(go())
    if results is None:
        sys.exit(1)
    marks = {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "skip": "skip", "manual": "MANUAL"}
    for r in results:  # type: ignore[union-attr]
        detail = f" — {r.detail}" if r.detail else ""
        click.echo(f"{r.rid:4} {r.level:6} {marks[r.outcome]:6} {r.title}{detail}")
    ok = passed(results)  # type: ignore[arg-type]
    click.echo("conforms to imuhold-v1" if ok else "does NOT conform to imuhold-v1 (see FAIL lines)")
    sys.exit(0 if ok else 1)


@click.command()
@click.option("--profile", type=click.Choice(_known_profiles()), required=True, help="Which sensor to emulate.")
@click.option(
    "--transport",
    required=True,
    help="bumble transport for the emulated sensor's controller, e.g. tcp-server:_:1234, vhci, usb:0, hci-socket:0.",
)
@click.option("--address", default="F0:F1:F2:F3:F4:F5", show_default=True, help="Random static address.")
@click.option("--name", default=None, help="Advertised name (default: the device's usual name).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the simulated routine it plays.")
@click.option("--seconds", type=click.FloatRange(min=1.0), default=None, help="Stop after this many seconds.")
def emulate(profile: str, transport: str, address: str, name: str | None, seed: int, seconds: float | None) -> None:
    """Run an emulated sensor that plays the demo routine over a bumble transport (pip install 'imuhold[emulate]')."""
    try:
        from imuhold.sim.emulate.serve import serve
    except ImportError as exc:
        click.echo(f"imuhold: emulation needs bumble: pip install 'imuhold[emulate]' ({exc})", err=True)
        sys.exit(1)
    try:
        _run(serve(profile, transport, address=address, name=name, seed=seed, seconds=seconds, say=click.echo))
    except OSError as exc:
        click.echo(f"imuhold: cannot open transport {transport!r}: {exc}", err=True)
        sys.exit(1)


COMMANDS = (scan, pair, live, conformance, emulate)

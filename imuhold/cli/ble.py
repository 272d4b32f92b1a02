"""The Bluetooth commands: scan, pair, conformance and emulate. Heavy imports stay inside them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from imuhold.cli import radio
from imuhold.cli.common import exit_with, known_profiles
from imuhold.errors import ImuholdError


def _on_terminal() -> bool:
    return sys.stdout.isatty()


@click.command()
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=radio.SCAN_S, show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list devices imuhold does not recognise.")
def scan(timeout_s: float, show_all: bool) -> None:
    """List nearby BLE motion sensors imuhold recognises: name, address, profile, RSSI."""

    async def go():
        connector = await radio.open_connector()
        return await connector.scan(timeout_s)

    found = radio.run(go()) or []
    shown = [d for d in found if show_all or d.profile]
    if not shown:
        click.echo(f"No supported sensor found in {timeout_s:g} s. Is it switched on and not connected elsewhere?")
        sys.exit(1)
    click.echo(f"{'name':24} {'address':20} {'profile':16} {'RSSI':>5}")
    for d in shown:
        rssi = "" if d.rssi is None else f"{d.rssi}"
        click.echo(f"{(d.name or '?')[:24]:24} {d.address:20} {d.profile or '-':16} {rssi:>5}")


@click.command()
@click.argument("address", required=False)
@click.option("--profile", type=click.Choice(known_profiles()), help="Skip recognition and use this profile.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=radio.SCAN_S, show_default=True)
def pair(address: str | None, profile: str | None, timeout_s: float) -> None:
    """Connect to a sensor (the only one nearby, or ADDRESS), read its details, and remember it.

    Without ADDRESS on a terminal, opens the pair screen: a live scan list to choose the sensor from.
    """
    from imuhold.ble.deferred import identify
    from imuhold.ble.device_info import DeviceInfo
    from imuhold.ble.pairing import check_and_read
    from imuhold.config import PairedSensor, load_config, save_config, with_sensor

    if address is None and _on_terminal():
        _pair_screen(profile)
        return

    async def go() -> tuple[str, str, str, DeviceInfo]:
        connector = await radio.open_connector()
        chosen, name, chosen_profile = await identify(connector, address, profile, timeout_s)
        return chosen, name, chosen_profile, await check_and_read(connector, chosen, chosen_profile)

    result = radio.run(go())
    if result is None:
        sys.exit(1)
    chosen, name, chosen_profile, info = result
    try:
        path = save_config(with_sensor(load_config(), PairedSensor(chosen, name, chosen_profile)))
    except ImuholdError as exc:
        exit_with(exc)
    click.echo(f"paired {name or chosen} ({chosen}), profile {chosen_profile}: {info.summary()}")
    click.echo(f"saved to {path}")


def _pair_screen(profile: str | None) -> None:
    """The pair screen (live scan list); prints what was paired once it closes."""
    from imuhold.config import data_dir
    from imuhold.tui.logfile import log_to_file
    from imuhold.tui.pair import make_pair_app

    log_to_file(data_dir())
    paired = make_pair_app(radio.open_connector, profile).run()
    if paired is None:
        click.echo("nothing paired", err=True)
        sys.exit(1)
    sensor = paired.sensor
    click.echo(
        f"paired {sensor.name or sensor.address} ({sensor.address}), profile {sensor.profile}: {paired.info.summary()}"
    )
    click.echo(f"saved to {paired.path}")


@click.command()
@click.argument("address")
@click.option("--seconds", type=click.FloatRange(min=1.0), default=60.0, show_default=True, help="Streaming test.")
@click.option("--still", is_flag=True, help="The sensor lies still: also run the at-rest checks (R20, R21).")
def conformance(address: str, seconds: float, still: bool) -> None:
    """Check a DIY sensor against the open imuhold profile (R1…R23 of firmware_specs/imuhold-profile.md)."""
    from imuhold.ble.conformance import ConformanceRun, passed

    async def go():
        run = ConformanceRun(await radio.open_connector(), address, seconds=seconds, still=still)
        run.say = click.echo
        return await run.run()

    results = radio.run(go())
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
@click.option("--profile", type=click.Choice(known_profiles()), required=True, help="Which sensor to emulate.")
@click.option(
    "--transport",
    required=True,
    help="vhci (or vhci:PATH): a virtual Bluetooth adapter on this computer with the sensor in range of it. "
    "Any other bumble transport (tcp-server:_:1234, usb:0, hci-socket:0 …): the sensor runs as the host of that "
    "transport's controller.",
)
@click.option("--address", default="F0:F1:F2:F3:F4:F5", show_default=True, help="Random static address.")
@click.option("--name", default=None, help="Advertised name (default: the device's usual name).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the simulated routine it plays.")
@click.option("--still", "still_s", type=click.FloatRange(min=0.0), default=0.0, show_default=True,
              metavar="SECONDS", help="Stand still this long before the routine (time to connect and calibrate).")
@click.option("--seconds", type=click.FloatRange(min=1.0), default=None, help="Stop after this many seconds.")
@click.option("--drop-at", "drop_at_s", type=click.FloatRange(min=0.0), multiple=True, metavar="SECONDS",
              help="Drop the connection at this sensor time (or as soon after as a central is subscribed), then "
              "advertise again (repeatable).")
@click.option("--vanish-at", "vanish_at_s", type=click.FloatRange(min=0.0), default=None, metavar="SECONDS",
              help="At this sensor time disconnect and stop advertising for good, as a sensor switched off.")
@click.option("--away-at", "away_at_s", type=click.FloatRange(min=0.0), multiple=True, metavar="SECONDS",
              help="At this sensor time go out of range for --away-for seconds: disconnect, stop advertising, then "
              "advertise again (repeatable).")
@click.option("--away-for", "away_for_s", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="How long --away-at keeps the sensor out of range.")
@click.option("--refuse-connections", is_flag=True, help="Advertise, but drop every connection as soon as it is made.")
@click.option("--decoy", "decoy_address", default=None, metavar="ADDRESS",
              help="A second sensor of the same profile and name in range, at ADDRESS (vhci only).")
@click.option("--send-log", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one line per notification sent (monotonic time, sensor time, bytes) to FILE.")
def emulate(
    profile: str,
    transport: str,
    address: str,
    name: str | None,
    seed: int,
    still_s: float,
    seconds: float | None,
    drop_at_s: tuple[float, ...],
    vanish_at_s: float | None,
    away_at_s: tuple[float, ...],
    away_for_s: float,
    refuse_connections: bool,
    decoy_address: str | None,
    send_log: Path | None,
) -> None:
    """Run an emulated sensor that plays the demo routine (looping), for trying imuhold without hardware.

    With --transport vhci, a Linux computer without Bluetooth gets a virtual adapter (needs root, or access to
    /dev/vhci, and the hci_vhci module; BlueZ uses it like a real one) with the sensor in range of it: run
    `imuhold scan`, `pair` and `live` against it from another terminal. Sensor times count from the start.
    Needs bumble: pip install 'imuhold[emulate]'.
    """
    try:
        from imuhold.sim.emulate.outages import Outages
        from imuhold.sim.emulate.serve import serve
    except ImportError as exc:
        click.echo(f"imuhold: emulation needs bumble: pip install 'imuhold[emulate]' ({exc})", err=True)
        sys.exit(1)
    try:
        outages = Outages(drop_at_s, vanish_at_s, tuple((t, away_for_s) for t in away_at_s), refuse_connections)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--drop-at") from None
    serving = serve(
        profile,
        transport,
        address=address,
        name=name,
        seed=seed,
        seconds=seconds,
        still_s=still_s,
        outages=outages,
        send_log=send_log,
        decoy_address=decoy_address,
        say=click.echo,
    )
    try:
        radio.run(serving)
    except OSError as exc:
        click.echo(f"imuhold: cannot open transport {transport!r}: {exc}", err=True)
        sys.exit(1)


COMMANDS = (scan, pair, conformance, emulate)

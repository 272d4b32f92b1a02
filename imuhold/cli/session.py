"""The training-session commands: demo, replay and live (heavy modules, the TUI included, are imported inside)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from imuhold.cli import radio
from imuhold.cli.common import click_error, data_dir_option, exit_with, known_profiles, param_option, parse_params
from imuhold.cli.storage import finish_recorder, start_recorder, user_config
from imuhold.errors import DiskFull, ImuholdError

GIVE_UP_S = 60.0


@click.command()
@click.option("--headless", is_flag=True, help="Print events instead of the training screen.")
@click.option("--seconds", type=click.FloatRange(min=10.0), default=None, help="Length of the simulated routine.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the simulated routine.")
@click.option("--fast", is_flag=True, help="Run as fast as possible instead of in real time.")
@click.option("--speed", type=click.FloatRange(min=0.1, max=100.0), default=1.0, show_default=True,
              help="Times real time.")
@param_option
@data_dir_option
@click.option("--no-save", is_flag=True, help="Headless: do not store the session.")
@click.option("--counterweight", type=click.FloatRange(min=0.0), default=None, metavar="KG",
              help="Weight held for balance, logged with the session.")
def demo(
    headless: bool,
    seconds: float | None,
    seed: int,
    fast: bool,
    speed: float,
    params: tuple[str, ...],
    data_dir: Path | None,
    no_save: bool,
    counterweight: float | None,
) -> None:
    """Train with the built-in simulated sensor: a realistic routine through the real pipeline."""
    from imuhold.sim.source import simulated_source

    detector_params = parse_params(params) if params else None
    source = simulated_source(seed, seconds, math.inf if fast else speed)
    if not headless:
        _run_tui(source, detector_params, data_dir, counterweight, save=not no_save)
        return
    duration_s = source.duration_s()
    click.echo(f"imuhold demo: simulated sensor, seed {seed}, {duration_s:.0f} s routine")
    recorder = None
    if not no_save:
        recorder = start_recorder(
            data_dir, source.profile, source.rate_hz, source.description, counterweight, duration_s
        )
    _print_run(source, detector_params, recorder)
    finish_recorder(recorder)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--speed", type=click.FloatRange(min=0.1, max=1000.0), default=1.0, show_default=True,
              help="Times real time.")
@click.option("--fast", is_flag=True, help="Run as fast as possible.")
@click.option("--headless", is_flag=True, help="Print events instead of the training screen.")
@param_option
def replay(file: Path, speed: float, fast: bool, headless: bool, params: tuple[str, ...]) -> None:
    """Replay a recording through the pipeline: the training screen at any speed, or printed events."""
    from imuhold.source import replay_source

    detector_params = parse_params(params) if params else None
    try:
        source, packets = replay_source(file, math.inf if fast else speed)
    except ImuholdError as exc:
        raise click_error(exc) from exc
    if not headless:
        _run_tui(source, detector_params)
        _warn(packets.warnings)  # the reader's, known once the file has been read through
        return
    duration_s = source.duration_s()  # a first pass over the file, which also finds what is wrong with it
    _warn(packets.warnings)
    click.echo(f"imuhold replay: {file}, {duration_s:.0f} s")
    _print_run(source, detector_params)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"imuhold: warning: {warning}", err=True)


def _run_tui(
    source, detector_params, data_dir_override: Path | None = None, counterweight_kg=None, save: bool = False
) -> None:
    """The training screen on ``source``, storing the session when ``save``; the log goes to a file, never to
    the terminal."""
    from imuhold.config import data_dir
    from imuhold.live import saved_line
    from imuhold.tui import make_app
    from imuhold.tui.logfile import log_to_file

    config = user_config()
    log_to_file(data_dir(data_dir_override))
    recorder = None
    if save:
        expected_s = source.duration_s() if hasattr(source, "duration_s") else None
        recorder = start_recorder(
            data_dir_override, source.profile, source.rate_hz, source.description, counterweight_kg, expected_s
        )
    app = make_app(source, config, detector_params, recorder=recorder)
    if counterweight_kg is not None:
        app.session.set_counterweight(counterweight_kg)
    try:
        app.run()
    finally:
        if recorder is not None and not recorder.closed:  # the app did not close it (it failed to start, or crashed)
            recorder.close("stopped")
    saved = saved_line(recorder)
    if saved is not None:
        click.echo(saved)
    finish_recorder(recorder)


def _print_run(source, detector_params, recorder=None) -> None:
    """Feed the packets of ``source`` (a ReplaySource) paced as it says, printing state changes and events, then a
    summary.

    A ``recorder`` (imuhold.store.SessionRecorder) stores the session as it goes.
    """
    from imuhold.live import close_run, saved_line, step_lines
    from imuhold.loop import PacketLoop
    from imuhold.pipeline import Pipeline
    from imuhold.protocol import get_profile
    from imuhold.source import Pacer

    loop = PacketLoop(Pipeline(get_profile(source.profile), source.rate_hz, detector_params), recorder)
    end_reason = "completed"
    try:
        for packet in Pacer(source.speed).paced(source.packets):
            for line in step_lines(loop.feed(packet), loop):
                click.echo(line)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        end_reason = "stopped"
    except DiskFull:  # the recorder stopped, and said so: the session ends here, with what was kept
        end_reason = "disk_full"
    close_run(loop, end_reason, click.echo)
    saved = saved_line(recorder)
    if saved is not None:
        click.echo(saved)


@click.command()
@click.option("--sensor", "address", help="Address of the sensor (default: the paired one).")
@click.option("--profile", type=click.Choice(known_profiles()), help="Profile of --sensor (default: recognised).")
@click.option("--rate", "rate_hz", type=float, default=None, help="Sample rate to ask for (profile default).")
@click.option("--headless", is_flag=True, help="Print events and link state instead of the training screen.")
@click.option("--record", "record_path", type=click.Path(dir_okay=False, path_type=Path), help="Record to FILE.")
@click.option("--seconds", type=click.FloatRange(min=0.1), default=None, help="Stop after this many seconds.")
@click.option("--give-up-after", "give_up_after_s", type=click.FloatRange(min=1.0), default=GIVE_UP_S,
              show_default=True, metavar="SECONDS",
              help="Headless: end (exit status 3) once the sensor has been out of reach this long.")
@data_dir_option
@click.option("--no-save", is_flag=True, help="Do not store the session.")
def live(
    address: str | None,
    profile: str | None,
    rate_hz: float | None,
    headless: bool,
    record_path: Path | None,
    seconds: float | None,
    give_up_after_s: float,
    data_dir: Path | None,
    no_save: bool,
) -> None:
    """Train with a real sensor: connect (reconnecting on drops), calibrate, detect and time holds.

    The session is stored (see `imuhold history`) unless --no-save. --headless prints events, link changes and,
    at the end, a summary and the link's numbers (packets received, frames lost, drops, stalls, duplicated
    notifications dropped, time to reconnect).
    Headless exit status: 0 when stopped (--seconds or Ctrl-C), 1 when the sensor or adapter cannot be used,
    2 for a usage error, 3 when the sensor was out of reach for --give-up-after seconds (the session is saved).
    """
    from imuhold.config import load_config

    if not headless and (record_path is not None or seconds is not None):
        raise click.UsageError("--record and --seconds go with --headless (the training screen stores the session)")
    try:
        config = load_config()
    except ImuholdError as exc:
        exit_with(exc)
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
    open_recorder = None
    if not no_save:

        def open_recorder(sensor_profile: str, sensor_rate_hz: float, sensor: str):
            return start_recorder(data_dir, sensor_profile, sensor_rate_hz, sensor, None, seconds)

    _live_headless(address, profile, rate_hz, seconds, give_up_after_s, record_path, open_recorder, config)


def _live_headless(address, profile, rate_hz, seconds, give_up_after_s, record_path, open_recorder, config) -> None:
    """``live --headless``: runs, then finishes (summary, link numbers, stored session) however the run ended."""
    import asyncio

    from imuhold.ble.deferred import identify
    from imuhold.ble.errors import SensorGoneError
    from imuhold.ble.link import SensorLink
    from imuhold.cli.headless import EXIT_FAILED, EXIT_OK, EXIT_SENSOR_GONE, HeadlessLive

    started: list[HeadlessLive] = []

    async def go() -> None:
        connector = await radio.open_connector()
        chosen, _, chosen_profile = await identify(connector, address, profile, radio.SCAN_S)
        try:
            link = SensorLink(chosen, chosen_profile, connector, rate_hz=rate_hz, give_up_after_s=give_up_after_s)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--rate") from None
        started.append(HeadlessLive(link, click.echo, config.detector_params(), record_path, open_recorder))
        await started[0].run(seconds)

    exit_status, end_reason = EXIT_OK, "completed"
    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        end_reason = "stopped"
    except SensorGoneError as exc:
        click.echo(f"imuhold: {exc.title}: {exc}", err=True)
        exit_status, end_reason = EXIT_SENSOR_GONE, "link_lost"
    except ImuholdError as exc:
        click.echo(f"imuhold: {exc.title}: {exc}", err=True)
        exit_status, end_reason = EXIT_FAILED, "interrupted"
    if started:
        started[0].finish(end_reason)
        recorder = started[0].session.recorder if started[0].session is not None else None
        if exit_status == EXIT_OK and recorder is not None and not recorder.saved:
            exit_status = EXIT_FAILED  # the disk filled up, or the session could not be stored: said above
    sys.exit(exit_status)


def _live_screen(address: str, profile: str | None, rate_hz: float | None, data_dir, save: bool) -> None:
    """The training screen on the sensor at ``address``; it is searched for and connected inside the app."""
    from imuhold.ble.deferred import DeferredLink

    if profile is None:
        raise click.UsageError(f"the protocol of {address} is not known: pass --profile, or pair it (imuhold pair)")
    try:
        source = DeferredLink(radio.open_connector, address, profile, rate_hz=rate_hz, scan_s=radio.SCAN_S)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rate") from None
    _run_tui(source, None, data_dir, save=save)


COMMANDS = (demo, replay, live)

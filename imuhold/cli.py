"""The ``imuhold`` command line: demo, replay, analyze and simulate (heavy modules are imported inside commands)."""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import click

from imuhold import __version__
from imuhold.ble.cli import COMMANDS as BLE_COMMANDS
from imuhold.errors import ImuholdError
from imuhold.formats import FORMAT_NAMES as IMPORT_FORMATS  # names only: no numpy at import
from imuhold.review.commands import COMMANDS as SESSION_COMMANDS
from imuhold.review.commands import data_dir_option

FORMATS = ("auto", "imuhold", *IMPORT_FORMATS)
SENSOR_ERROR_PROFILES = ("none", "typical", "harsh")
"""The simulator's sensor-error profiles (``imuhold.sim.errors.PROFILES``), named here so --help loads no numpy."""


def _detector_params(overrides: tuple[str, ...]):
    from imuhold.detect.params import DetectorParams

    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        values[name.strip()] = value.strip()
    try:
        return DetectorParams().with_overrides({k: float(v) for k, v in values.items()})
    except (ValueError, ImuholdError) as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from exc


param_option = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a detector parameter (repeatable), e.g. --param min_hold_s=3.",
)


def import_options(func):
    """``--sensor`` and ``--orientation``, for importing foreign data files."""
    func = click.option(
        "--orientation",
        type=click.Choice(("auto", "quat", "imu")),
        default="auto",
        show_default=True,
        help="Foreign files: the sensor's own quaternion (auto: when it has one) or imuhold's fusion of acc + gyro.",
    )(func)
    return click.option(
        "--sensor",
        metavar="NAME",
        default=None,
        help="Foreign files with several sensors: which one (CMU-MBL: Pelvis by default; DOT server: an address; "
        "SisFall: MMA8451Q by default, or ADXL345).",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imuhold")
def main() -> None:
    """Hands-free coach and logger for the deep squat hold, from a Bluetooth IMU at the pelvis."""


@main.command()
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
    from imuhold.source import simulated_source

    detector_params = _detector_params(params) if params else None
    source = simulated_source(seed, seconds, math.inf if fast else speed)
    if not headless:
        _run_tui(source, detector_params, data_dir, counterweight, save=not no_save)
        return
    click.echo(f"imuhold demo: simulated sensor, seed {seed}, {_duration_s(source.packets):.0f} s routine")
    recorder = None
    if not no_save:
        from imuhold.review.commands import start_recorder

        recorder = start_recorder(data_dir, source.profile, source.rate_hz, source.description, counterweight)
    _print_run(source.packets, source.profile, source.rate_hz, source.speed, detector_params, recorder)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--speed", type=click.FloatRange(min=0.1, max=1000.0), default=1.0, show_default=True,
              help="Times real time.")
@click.option("--fast", is_flag=True, help="Run as fast as possible.")
@click.option("--headless", is_flag=True, help="Print events instead of the training screen.")
@param_option
def replay(file: Path, speed: float, fast: bool, headless: bool, params: tuple[str, ...]) -> None:
    """Replay a recording through the pipeline: the training screen at any speed, or printed events."""
    from imuhold.source import replay_source

    detector_params = _detector_params(params) if params else None
    try:
        source, warnings = replay_source(file, math.inf if fast else speed)
    except ImuholdError as exc:
        raise click.ClickException(f"{exc.title}: {exc}") from exc
    for warning in warnings:
        click.echo(f"imuhold: warning: {warning}", err=True)
    if not headless:
        _run_tui(source, detector_params)
        return
    click.echo(f"imuhold replay: {file}, {_duration_s(source.packets):.0f} s")
    _print_run(source.packets, source.profile, source.rate_hz, source.speed, detector_params)


def _duration_s(packets) -> float:
    return (packets[-1].t_host_ns - packets[0].t_host_ns) / 1e9 if packets else 0.0


def _run_tui(
    source, detector_params, data_dir_override: Path | None = None, counterweight_kg=None, save: bool = False
) -> None:
    """The training screen on ``source``, storing the session when ``save``; the log goes to a file, never to
    the terminal."""
    from imuhold.config import data_dir, load_config
    from imuhold.tui import make_app
    from imuhold.tui.logfile import log_to_file

    try:
        config = load_config()
    except ImuholdError as exc:
        raise click.ClickException(f"{exc.title}: {exc}") from exc
    log_to_file(data_dir(data_dir_override))
    recorder = None
    if save:
        from imuhold.review.commands import start_recorder

        recorder = start_recorder(
            data_dir_override, source.profile, source.rate_hz, source.description, counterweight_kg
        )
    app = make_app(source, config, detector_params, recorder=recorder)
    if counterweight_kg is not None:
        app.session.set_counterweight(counterweight_kg)
    try:
        app.run()
    finally:
        if recorder is not None and not recorder.closed:  # the app did not close it (it failed to start, or crashed)
            recorder.close("stopped")
    if recorder is not None and recorder.session_id is not None:
        click.echo(f"saved as session {recorder.session_id} (imuhold show {recorder.session_id})")


def _print_run(packets, profile: str, rate_hz: float, speed: float, detector_params, recorder=None) -> None:
    """Feed ``packets`` paced at ``speed`` times real time, printing state changes and events, then a summary.

    A ``recorder`` (imuhold.store.SessionRecorder) stores the session as it goes.
    """
    from imuhold.live import close_run, saved_line
    from imuhold.pipeline import Pipeline
    from imuhold.protocol import get_profile
    from imuhold.report import event_line

    pipeline = Pipeline(get_profile(profile), rate_hz, detector_params)
    shown_state = pipeline.live.state
    start_wall = time.monotonic()
    t0_ns = packets[0].t_host_ns if packets else 0
    end_reason = "completed"
    try:
        for packet in packets:
            if math.isfinite(speed):
                delay = (packet.t_host_ns - t0_ns) / 1e9 / speed - (time.monotonic() - start_wall)
                if delay > 0:
                    time.sleep(delay)
            if recorder is not None:
                recorder.on_packet(packet)
            events = pipeline.feed(packet)
            if recorder is not None:
                recorder.on_events(events, pipeline)
            for event in events:
                click.echo(event_line(event))
            if pipeline.live.state is not shown_state:
                shown_state = pipeline.live.state
                click.echo(f"{pipeline.live.t_s:8.2f} s  → {shown_state.value}")
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        end_reason = "stopped"
    close_run(pipeline, recorder, end_reason, click.echo)
    saved = saved_line(recorder)
    if saved is not None:
        click.echo(saved)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@import_options
@param_option
def analyze(
    files: tuple[Path, ...], fmt: str, as_json: bool, sensor: str | None, orientation: str, params: tuple[str, ...]
) -> None:
    """Run the pipeline on recordings and report squats and holds (times in s from the first sample).

    Foreign data files (SisFall, CMU-MBL, KFall, DOT CSV, MetaBase CSV) are imported on the fly; --format auto
    recognises them from their content.
    """
    from imuhold.analysis import analyze_recording
    from imuhold.formats.base import ImportOptions
    from imuhold.report import analysis_to_dict, summary_lines

    detector_params = _detector_params(params)
    import_opts = ImportOptions(sensor, orientation)
    failed = 0
    for path in files:
        try:
            analysis, warnings = analyze_recording(path, fmt, detector_params, import_opts)
        except ImuholdError as exc:
            failed += 1
            click.echo(f"imuhold: {exc.title}: {exc}", err=True)
            continue
        for warning in warnings:
            click.echo(f"imuhold: warning: {warning}", err=True)
        if as_json:
            click.echo(json.dumps(analysis_to_dict(analysis, str(path), warnings)))
        else:
            click.echo(f"{path}: {analysis.duration_s:.1f} s, {analysis.samples} samples")
            for line in summary_lines(analysis):
                click.echo(f"  {line}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scenario", default="routine", show_default=True, help="Scenario name (see --list).")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option("--sensor-errors", type=click.Choice(SENSOR_ERROR_PROFILES), default="none", show_default=True,
              help="Draw a real chip's errors and a mounting from the seed (docs/simulator.md); none: as before.")
@click.option("--mounting", default=None, metavar="PLACE-ATTITUDE",
              help="Fix the mounting: back|front|left|right - flat|upside-down|sideways|twisted.")
@click.option("--frame-type", type=click.Choice(("quat", "raw")), default=None,
              help="Frames the sensor sends (default: the scenario's); gyro errors need raw.")
def simulate(
    out: Path,
    seed: int,
    scenario: str,
    list_only: bool,
    force: bool,
    sensor_errors: str,
    mounting: str | None,
    frame_type: str | None,
) -> None:
    """Write a labelled recording of a simulated session to OUT (.imuhold or .imuhold.gz)."""
    from imuhold import sim
    from imuhold.sim.export import write_simulation

    if list_only:
        for name, builder in sorted(sim.SCENARIOS.items()):
            click.echo(f"{name:24} {builder(seed).description}")
        return
    if scenario not in sim.SCENARIOS:
        raise click.BadParameter(f"unknown scenario {scenario!r}; known: {', '.join(sorted(sim.SCENARIOS))}")
    try:
        fitted = sim.with_sensor_errors(
            sim.SCENARIOS[scenario](seed), seed, sensor_errors, mount=mounting, frame_type=frame_type
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mounting") from exc
    simulation = sim.simulate(fitted, seed)
    try:
        recording, labels = write_simulation(simulation, out, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it") from None
    click.echo(f"wrote {recording} ({len(simulation.packets)} packets) and {labels}")
    config = fitted.sensor
    if config.errors is not None or config.mounting is not None:
        click.echo(f"  sensor: {_sensor_summary(config)}")


def _sensor_summary(config) -> str:
    parts = [f"{config.frame_type} frames"]
    if config.mounting is not None:
        parts.append(f"mounted {config.mounting.name}")
    if config.errors is not None:
        readable = config.errors.to_dict()["readable"]
        gyro = ", ".join(f"{v:+.2f}" for v in readable["gyr_offset_dps"])
        acc = ", ".join(f"{v:+.0f}" for v in readable["acc_offset_mg"])
        parts.append(f"gyro offset ({gyro}) °/s, acc offset ({acc}) mg, clock {readable['rate_error_pct']:+.2f} %")
    return "; ".join(parts)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(("auto", *IMPORT_FORMATS)))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@import_options
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def import_(fmt: str, file: Path, out: Path, sensor: str | None, orientation: str, force: bool) -> None:
    """Convert a foreign data file into an imuhold recording.

    FORMAT is sisfall, cmu-mbl, kfall, dot-csv, metabase-csv, imuhold-csv or auto (recognised from the content).
    OUT (.imuhold or .imuhold.gz) holds the samples as imuhold-v1 notifications, read by `analyze` and `replay`
    like any recording.
    """
    from imuhold import formats
    from imuhold.formats.base import ImportOptions
    from imuhold.formats.packets import write_recording

    try:
        imported = formats.load(file, fmt, ImportOptions(sensor, orientation))
        warnings = write_recording(imported, out, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it") from None
    except ImuholdError as exc:
        raise click.ClickException(f"{exc.title}: {exc}") from None
    except ValueError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    for warning in (*imported.warnings, *warnings):
        click.echo(f"imuhold: warning: {warning}", err=True)
    click.echo(
        f"wrote {out}: {imported.samples} samples, {imported.duration_s:.1f} s at {imported.rate_hz:g} Hz"
        f" from {imported.source} ({imported.meta.get('orientation', imported.frame_type)})"
    )


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option("--tolerance", type=click.FloatRange(min=0.0, min_open=True), default=0.5, show_default=True,
              metavar="SECONDS", help="Labelled recordings: how close a found event must be to a true one.")
@click.option("--standing-prefix", type=click.FloatRange(min=0.0), default=2.0, show_default=True, metavar="SECONDS",
              help="SisFall, KFall: still standing run before each trial, for the calibration (0: as recorded).")
@import_options
@param_option
def evaluate(
    path: Path,
    as_json: bool,
    jobs: int,
    tolerance: float,
    standing_prefix: float,
    sensor: str | None,
    orientation: str,
    params: tuple[str, ...],
) -> None:
    """Report the detector's accuracy on a dataset folder.

    SisFall, KFall and CMU-MBL files, labelled recordings and BROAD trials anywhere under PATH are recognised from
    their content, and each kind gets its section (see docs/evaluation.md). The thresholds used head the report.
    """
    from imuhold.evaluation.report import evaluate_folder, text_lines
    from imuhold.formats.base import ImportOptions

    detector_params = _detector_params(params)
    try:
        report = evaluate_folder(
            path,
            detector_params,
            jobs=jobs,
            options=ImportOptions(sensor, orientation),
            tolerance_s=tolerance,
            standing_prefix_s=standing_prefix,
        )
    except (ImuholdError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report))
    else:
        for line in text_lines(report):
            click.echo(line)


for _command in SESSION_COMMANDS:
    main.add_command(_command)
for _command in BLE_COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
